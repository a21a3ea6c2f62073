console.log('%s is %d years', 'Ada', 36); console.log('%i%% done, %f left', 42.9, '0.5'); 0
