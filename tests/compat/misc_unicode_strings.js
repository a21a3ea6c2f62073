['😀'.length, [...'😀'].length, 'ß'.toUpperCase(), 'İ'.toLowerCase().length, 'café'.normalize('NFD').length]
