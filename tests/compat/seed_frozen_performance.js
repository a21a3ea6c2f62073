[performance.now(), performance.now(), performance.timeOrigin]
