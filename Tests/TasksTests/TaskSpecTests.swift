import ShenzhouTasks
import Testing

struct TaskSpecTests {
  @Test func registryHasEveryTask() {
    #expect(TaskSpec.all.map(\.name) == [
      "afqmc", "tnews", "iflytek", "ocnli", "cmnli", "cluewsc2020", "csl", "cmrc2018", "chid", "c3", "cluener",
    ])
    #expect(TaskSpec.named("WSC") == TaskSpec.cluewsc2020)
    #expect(TaskSpec.named("CMRC2018") == TaskSpec.cmrc2018)
    #expect(TaskSpec.named("glue") == nil)
  }

  @Test func defaultsFollowBaselines() {
    let lengths = Dictionary(uniqueKeysWithValues: TaskSpec.all.map { ($0.name, $0.defaults.maxLength) })
    #expect(lengths["csl"] == 256)
    #expect(lengths["cmrc2018"] == 512)
    #expect(lengths["c3"] == 512)
    #expect(lengths["chid"] == 64)
    #expect(lengths["afqmc"] == 128)
    let epochs = Dictionary(uniqueKeysWithValues: TaskSpec.all.map { ($0.name, $0.defaults.epochs) })
    #expect(epochs == [
      "afqmc": 3, "tnews": 3, "iflytek": 3, "ocnli": 3, "cmnli": 2, "cluewsc2020": 50, "csl": 3, "cmrc2018": 2,
      "chid": 3, "c3": 8, "cluener": 3,
    ])
    for task in TaskSpec.all {
      #expect((2e-5...3e-5).contains(task.defaults.learningRate), "\(task.name)")
      #expect(task.defaults.batchSize == 32, "\(task.name)")
    }
  }

  @Test func kindsLabelsAndFormats() {
    #expect(TaskSpec.tnews.labels.count == 15)
    #expect(TaskSpec.tnews.labels.index(of: "105") == nil)
    #expect(TaskSpec.iflytek.labels.count == 119)
    #expect(TaskSpec.cluener.labels.count == 10)
    #expect(TaskSpec.afqmc.kind == .sentencePairClassification)
    #expect(TaskSpec.cmrc2018.kind == .spanExtraction)
    #expect(TaskSpec.c3.kind == .multipleChoice)
    #expect(TaskSpec.cluener.kind == .tokenClassification)
    #expect(TaskSpec.cmrc2018.metric == .exactMatchAndF1)
    #expect(TaskSpec.cluener.metric == .entityF1)
    #expect(TaskSpec.cmrc2018.submissionFormat == .answerTextObject)
    #expect(TaskSpec.chid.submissionFormat == .choiceIndexObject)
    #expect(TaskSpec.c3.submissionFormat == .choiceIndexLines)
    #expect(TaskSpec.cluener.submissionFormat == .entityLines)
    #expect(TaskSpec.all.allSatisfy { $0.submissionFileName == "\($0.name)_predict.json" })
  }
}
