@_exported import ShenzhouNN
