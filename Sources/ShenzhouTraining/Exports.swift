@_exported import ShenzhouModels
