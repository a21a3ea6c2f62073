atob('anNjb3JlIHJ1bnMgSlM=')
