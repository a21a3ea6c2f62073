// Names removed from WebIDL's error names table have code 0; their constants stay.
[['DOMStringSizeError', 'NoDataAllowedError', 'ValidationError', 'IndexSizeError']
     .map((n) => new DOMException('', n).code),
 DOMException.VALIDATION_ERR]
