console.log('l'); console.info('i'); console.warn('w'); console.error('e'); console.debug('d'); 0
