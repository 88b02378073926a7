import Foundation
import ShenzhouTestSupport

/// Whether the project's Python can import `tensorboard`, which `scripts/setup` installs.
let tensorBoardIsInstalled: Bool = {
  guard TestEnvironment.hasPython else { return false }
  let result = try? TestEnvironment.run(TestEnvironment.python, ["-c", "import tensorboard"])
  return result?.status == 0
}()

/// Creates a new empty temporary folder and returns its file URL.
func temporaryFolder(_ label: String) throws -> URL {
  URL(fileURLWithPath: try TestEnvironment.temporaryDirectory(label), isDirectory: true)
}

func readText(_ url: URL) throws -> String {
  try String(contentsOf: url, encoding: .utf8)
}
