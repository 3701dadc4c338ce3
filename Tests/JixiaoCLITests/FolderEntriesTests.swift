import Foundation
import Testing

@testable import JixiaoEngine
@testable import jixiao

/// Nothing named in a folder or a file vanishes without a word: links that lead nowhere, link
/// loops and a test file's missing rules are each reported, and the file count includes them.
@Suite struct FolderEntriesTests {
  static let good = #"{"subject": "乙", "inputs": {"满意度": "96%"}}"#

  @Test func danglingLinksAndLinkLoopsAreNamedAsUnreadable() throws {
    let folder = try CommandsTests.folder(["b-good.json": Self.good, "s.rules": CommandsTests.scored])
    try FileManager.default.createSymbolicLink(atPath: folder + "a-dangling.json", withDestinationPath: "gone.json")
    try FileManager.default.createSymbolicLink(atPath: folder + "c-loop.json", withDestinationPath: "c-loop.json")
    let check = CommandsTests.run(["check", folder, "--rules", folder + "s.rules"])
    #expect(check.status == 1)
    CommandsTests.expectLines(
      check.err,
      [
        "\(folder)a-dangling.json:1:1: 错误[E030]: 无法读取“\(folder)a-dangling.json”：它是符号链接，所指向“gone.json”不存在",
        "\(folder)c-loop.json:1:1: 错误[E030]: 无法读取“\(folder)c-loop.json”：它是循环的符号链接（链接最终又指回自己）",
      ])
    #expect(check.err.hasSuffix("检查了 4 个文件：2 个错误，0 个警告\n"))
    let eval = CommandsTests.run(["eval", folder + "s.rules", folder, "--format", "json"])
    #expect(eval.status == 1)
    let entries = try #require(try JSON.parse(eval.out).elements)
    #expect(entries.count == 3)
    #expect(
      entries.map { CommandsTests.text($0["file"]) } == [folder + "a-dangling.json", nil, folder + "c-loop.json"])
    #expect(CommandsTests.text(entries[1]["total"]) == "6")
  }

  @Test func aLinkLoopNamedOnTheCommandLineIsNoMissingFile() throws {
    let folder = try CommandsTests.folder(["s.rules": CommandsTests.scored])
    try FileManager.default.createSymbolicLink(atPath: folder + "loop.json", withDestinationPath: "loop.json")
    let result = CommandsTests.run(["eval", folder + "s.rules", folder + "loop.json"])
    #expect(result.status == 1)
    #expect(result.err.contains("无法读取“\(folder)loop.json”：它是循环的符号链接"))
    #expect(!result.err.contains("找不到文件"))
  }

  @Test func checkReportsATestFileWhoseRulesAreMissing() throws {
    let folder = try CommandsTests.folder([
      "satisfaction.test.rules": """
      适用 "satisfaction.rules"
      测试 "满分" {
        输入 { 满意度 = 96% }
        期望 满意度指标 = 6
      }

      """
    ])
    let result = CommandsTests.run(["check", folder])
    #expect(result.status == 1)
    CommandsTests.expectLines(
      result.err,
      [
        "\(folder)satisfaction.test.rules:1:4: 错误[E050]: 测试文件的“适用”所指的规则文件“satisfaction.rules”不存在：按测试文件所在的文件夹，它是“\(folder)satisfaction.rules”",
        "  = “适用”的路径从测试文件所在的文件夹写起，不是从运行命令的文件夹",
      ])
    #expect(result.err.hasSuffix("检查了 1 个文件：1 个错误，0 个警告\n"))
  }
}
