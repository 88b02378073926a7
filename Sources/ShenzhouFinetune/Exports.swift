@_exported import ShenzhouModels
@_exported import ShenzhouText
