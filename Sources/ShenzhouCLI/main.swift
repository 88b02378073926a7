import ShenzhouCLIKit

let tool = CommandLineTool(
  name: "shenzhou",
  version: "0.1.0",
  abstract: "Pretrain, fine-tune and run Chinese BERT encoders on libtorch.",
  commands: [
    InfoCommand.self,
    FillMaskCommand.self,
    PrepareCommand.self,
    PretrainCommand.self,
    VocabCommand.self,
    ConvertCommand.self,
    FinetuneCommand.self,
    PredictCommand.self,
    DemoReportCommand.self,
    TokenizeCommand.self,
    EvaluateCommand.self,
  ])

tool.main()
