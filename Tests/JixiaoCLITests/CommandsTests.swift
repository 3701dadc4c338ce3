import Foundation
import Testing

@testable import JixiaoEngine
@testable import jixiao

/// The CI-facing commands through the real CLI code path: check's output formats and exit codes,
/// test, fmt, explain, and usage errors.
@Suite struct CommandsTests {
  static let fixtures = Repository.root + "Tests/Fixtures/static-checks/"

  /// A fresh folder holding the given files, for commands that read or rewrite files.
  static func folder(_ files: [String: String]) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("jixiao-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
    }
    return path + "/"
  }

  static func run(_ words: [String]) -> (status: Int32, out: String, err: String) {
    let terminal = Terminal()
    let status = Commands.run(words, terminal)
    return (status, terminal.standardOutput, terminal.standardError)
  }

  /// A JSON string's text, or a number as written.
  static func text(_ node: JSONNode?) -> String? {
    switch node?.value {
    case .string(let text)?, .number(let text)?: text
    default: nil
    }
  }

  /// Each line appears whole in the output.
  static func expectLines(_ output: String, _ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    for line in lines {
      #expect(output.contains(line + "\n"), "\(line)\n\(output)", sourceLocation: sourceLocation)
    }
  }

  // MARK: check

  @Test func checkJSONGivesEveryFieldCIReads() throws {
    let result = Self.run(["check", Self.fixtures + "E045-division.rules", "--format", "json"])
    #expect(result.status == 1)
    let json = try JSON.parse(result.out)
    let diagnostic = try #require(json["diagnostics"]?.elements?.first)
    #expect(Self.text(diagnostic["file"]) == Self.fixtures + "E045-division.rules")
    #expect(Self.text(diagnostic["line"]) == "7")
    #expect(Self.text(diagnostic["column"]) == "19")
    #expect(Self.text(diagnostic["endLine"]) == "7")
    #expect(Self.text(diagnostic["endColumn"]) == "22")
    #expect(Self.text(diagnostic["severity"]) == "error")
    #expect(Self.text(diagnostic["code"]) == "E045")
    #expect(Self.text(diagnostic["message"]) == "除数“预算数”在声明的取值范围内可能为零")
  }

  @Test func checkGithubAnnotatesTheSpan() {
    let result = Self.run(["check", Self.fixtures + "E045-division.rules", "--format", "github"])
    #expect(result.status == 1)
    #expect(
      result.out.hasPrefix(
        "::error file=\(Self.fixtures)E045-division.rules,line=7,col=19,endLine=7,endColumn=22,title=E045 除数可能为零::除数“预算数”在声明的取值范围内可能为零%0A"
      ))
  }

  @Test func warningsFailOnlyWhenDenied() {
    let file = Self.fixtures + "W003-unused-input.rules"
    let allowed = Self.run(["check", file])
    #expect(allowed.status == 0)
    #expect(allowed.err.contains("警告[W003]: 输入“年初预算数”没有被任何得分用到"))
    #expect(allowed.err.hasSuffix("检查了 1 个文件：0 个错误，1 个警告\n"))
    let denied = Self.run(["check", file, "--deny-warnings", "--format", "github"])
    #expect(denied.status == 1)
    #expect(denied.out.hasPrefix("::warning file=\(file),line=6,col=8,"))
  }

  @Test func allDiagnosticsOfOneFileInSourceOrder() throws {
    let folder = try Self.folder([
      "two.rules": """
      规则集 "两处错误" {
        满分 10
        指标 甲 6 { 得分 = 乙乙 }
        指标 丙 3 { 得分 = 1 }
      }
      """
    ])
    let result = Self.run(["check", folder + "two.rules", "--format", "json"])
    #expect(result.status == 1)
    let json = try JSON.parse(result.out)
    let found = try #require(json["diagnostics"]?.elements).map {
      (Self.text($0["code"]) ?? "", Self.text($0["line"]) ?? "")
    }
    #expect(found.map(\.1) == found.map(\.1).sorted { Int($0) ?? 0 < Int($1) ?? 0 })
    #expect(Set(found.map(\.0)) == ["E010", "E013"])
  }

  @Test func checkAlsoChecksTheNamesTestsUse() throws {
    let folder = try Self.folder([
      "satisfaction.rules": Self.scored,
      "satisfaction.test.rules": """
      适用 "satisfaction.rules"
      测试 "名称写错" {
        输入 { 满意程度 = 95%；满意度 = 95 }
        期望 满意度指 = 6
        期望 等级 = "良好"
        期望 诊断 = "E999"
      }
      """,
    ])
    let result = Self.run(["check", folder, "--format", "json"])
    #expect(result.status == 1)
    let found = try #require(try JSON.parse(result.out)["diagnostics"]?.elements).map {
      "\(Self.text($0["line"]) ?? ""):\(Self.text($0["code"]) ?? "") \(Self.text($0["message"]) ?? "")"
    }
    #expect(
      found == [
        "3:E031 规则中没有名为“满意程度”的输入；是否指“满意度”？", "3:E032 “满意度”是百分比，数要带 %，如 80%（写 80 就是 8000%）",
        "4:E036 规则中没有名为“满意度指”的指标", "5:E016 规则中没有等级“良好”（有：优、差）",
        "6:E016 没有诊断代码“E999”；jixiao explain --list 列出全部代码",
      ])
  }

  @Test func usageErrorsExitWithTwo() {
    let badFormat = Self.run(["check", "Rules", "--format", "xml"])
    #expect(badFormat.status == 2)
    #expect(badFormat.err.hasPrefix("选项 --format 只能是 text、json 或 github，不能是“xml”"))
    #expect(Self.run(["check"]).status == 2)
    #expect(Self.run(["check", "Rules", "--colour"]).err.hasPrefix("不认识的选项 --colour"))
    #expect(Self.run(["eval", Repository.root + "Rules/shenzhen-department-2019.rules"]).status == 2)
    #expect(Self.run(["frobnicate"]).err.hasPrefix("不认识的命令“frobnicate”"))
    #expect(Self.run([]).status == 2)
  }

  @Test func helpAndVersion() {
    for command in ["check", "eval", "test", "fmt", "explain", "bench"] {
      let help = Self.run([command, "--help"])
      #expect(help.status == 0)
      #expect(help.out.hasPrefix("用法：jixiao \(command)"))
    }
    #expect(Self.run(["--version"]).out.hasPrefix("jixiao "))
    #expect(Self.run(["--help"]).out.contains("jixiao test 文件或文件夹"))
  }

  /// Every command answers --help with its usage (exit 0, even with other words) and a misspelt
  /// option with the problem and the usage (exit 2), before looking at any file.
  @Test(arguments: [
    ("check", Commands.checkUsage), ("eval", Commands.evalUsage), ("bench", Commands.benchUsage),
    ("test", Commands.testUsage), ("fmt", Commands.fmtUsage), ("explain", Commands.explainUsage),
    ("diff", Commands.diffUsage), ("doc", Commands.docUsage), ("template", Commands.templateUsage),
    ("lsp", Commands.lspUsage), ("editor", Commands.editorUsage),
  ])
  func helpAndMisspeltOptionsAreAnsweredAlike(command: String, usage: String) {
    let help = Self.run([command, "/nonexistent/x.rules", "--help"])
    #expect(help.status == 0 && help.out == usage + "\n" && help.err.isEmpty)
    let misspelt = Self.run([command, "/nonexistent/x.rules", "--hlep"])
    #expect(misspelt.status == 2 && misspelt.out.isEmpty)
    #expect(misspelt.err == "不认识的选项 --hlep\n\n\(usage)\n")
    #expect(Self.run([command, "--help=yes"]).err.hasPrefix("选项 --help 不带值\n\n\(usage)"))
  }

  @Test func missingFileIsAnErrorNotACrash() {
    let result = Self.run(["check", "/nonexistent/x.rules"])
    #expect(result.status == 1)
    #expect(result.err.contains("找不到文件“/nonexistent/x.rules”"))
  }

  @Test func bandLackingPercentWithAGapFailsPlainCheck() throws {
    // ≥ 100 is ≥ 10000%: a department at 100% cannot be scored, so check fails without --deny-warnings.
    let folder = try Self.folder([
      "r.rules":
        "规则集 \"r\" {\n  满分 2\n  指标 甲 2 {\n    输入 率：百分比 \"完成率\"\n    得分 = 分档 率 { ≥ 100 → 2；< 100% → 0 }\n  }\n}\n"
    ])
    let result = Self.run(["check", folder + "r.rules"])
    #expect(result.status == 1)
    #expect(result.err.contains("错误[E047]: “率”的取值 [100%, 10000%) 未被任何档覆盖"), "\(result.err)")
    #expect(result.err.contains("警告[W008]"))
  }

  @Test func dataFileWhoseRulesPathIsMissingNamesBothPaths() throws {
    // The example of `jixiao explain E050`, in a fresh folder standing for the project root.
    let root = try Self.folder([:])
    try FileManager.default.createDirectory(atPath: root + "Examples", withIntermediateDirectories: true)
    try """
    {
      "rules": "Rules/shenzhen-department-2019.rules",
      "subject": "深圳市大鹏新区数据局",
      "inputs": {}
    }
    """.write(toFile: root + "Examples/大鹏.json", atomically: true, encoding: .utf8)
    let result = Self.run(["check", root + "Examples/大鹏.json"])
    #expect(result.status == 1)
    let printed = result.err.replacingOccurrences(of: root, with: "")
    let quoted = try #require(
      DiagnosticCode.rulesFileNotFound.explanation.split(separator: "\n").first { $0.contains("[E050]") })
    #expect(printed.hasPrefix(quoted.trimmingCharacters(in: .whitespaces) + "\n"), "\(printed)")
    #expect(printed.contains("= \"rules\" 的路径从数据文件所在的文件夹写起，不是从运行命令的文件夹；也可以用 --rules 指定规则文件"))
    #expect(printed.hasSuffix("检查了 1 个文件：1 个错误，0 个警告\n"))
    // --rules instead of the field: no E050, the data is checked against the given rules.
    let given = Self.run(["check", root + "Examples/大鹏.json", "--rules", Self.fixtures + "E045-division.fixed.rules"])
    #expect(!given.err.contains("E050"))
  }

  @Test func jsonArrayKeepsAFileThatCouldNotBeScored() throws {
    let folder = try Self.folder([
      "a-broken.json": #"{"subject": "甲", "inputs": {"满意度": "很高"}}"#,
      "b-good.json": #"{"subject": "乙", "inputs": {"满意度": "96%"}}"#,
      "s.rules": Self.scored,
    ])
    let result = Self.run(["eval", folder + "s.rules", folder, "--format", "json"])
    #expect(result.status == 1)
    let entries = try #require(try JSON.parse(result.out).elements)
    #expect(entries.count == 2)
    #expect(Self.text(entries[0]["file"]) == folder + "a-broken.json")
    #expect(entries[0]["total"]?.value == .null)
    #expect(Self.text(entries[0]["diagnostics"]?.elements?.first?["code"]) == "E032")
    #expect(Self.text(entries[1]["total"]) == "6")
  }

  @Test func oneUnreadableFileDoesNotStopTheOthers() throws {
    let folder = try Self.folder([
      "b-good.json": #"{"subject": "乙", "inputs": {"满意度": "96%"}}"#, "s.rules": Self.scored,
    ])
    #expect(FileManager.default.createFile(atPath: folder + "a-latin1.json", contents: Data([0x7B, 0xE9, 0x7D])))
    try FileManager.default.createDirectory(atPath: folder + "c-folder.json", withIntermediateDirectories: false)
    let result = Self.run(["eval", folder + "s.rules", folder, "--format", "json"])
    #expect(result.status == 1)
    let entries = try #require(try JSON.parse(result.out).elements)
    #expect(entries.count == 2)
    #expect(
      Self.text(entries[0]["diagnostics"]?.elements?.first?["message"])
        == "文件“\(folder)a-latin1.json”不是 UTF-8 编码的文本，请另存为 UTF-8")
    #expect(Self.text(entries[1]["total"]) == "6")
    let check = Self.run(["check", folder, "--rules", folder + "s.rules"])
    #expect(check.status == 1)
    #expect(check.err.hasSuffix("检查了 3 个文件：1 个错误，0 个警告\n"))
  }

  @Test func benchRunsTheRealPipelineAndRefusesBadInput() throws {
    let rules = Repository.root + "Rules/shenzhen-department-2019.rules"
    let data = Repository.root + "Examples/dapeng-2021.json"
    let result = Self.run(["bench", rules, data, "--runs", "2"])
    #expect(result.status == 0)
    #expect(result.out.hasPrefix("规则 \(rules)：检查并生成计划 "))
    #expect(result.out.contains("（2 次，总分 93.76）"))
    #expect(Self.run(["bench", rules, data, "--runs", "0"]).status == 2)
    let folder = try Self.folder(["bad.json": #"{"subject": "甲", "inputs": {"公众满意度": 99}}"#])
    let bad = Self.run(["bench", rules, folder + "bad.json", "--runs", "1"])
    #expect(bad.status == 1)
    #expect(bad.err.contains("错误[E032]"))
  }

  @Test func rulesWithErrorsGiveJSONDiagnosticsToEval() throws {
    let folder = try Self.folder(["broken.rules": "规则集 \"坏\" { 满分 10 }\n", "d.json": #"{"subject": "甲"}"#])
    let result = Self.run(["eval", folder + "broken.rules", folder + "d.json", "--format", "json"])
    #expect(result.status == 1)
    #expect(Self.text(try JSON.parse(result.out)["diagnostics"]?.elements?.first?["code"]) == "E013")
    #expect(Self.run(["eval", folder + "missing.rules", folder + "d.json"]).err.contains("找不到文件"))
  }

  // MARK: explain

  @Test func explainPrintsTheLongFormOfACode() {
    let result = Self.run(["explain", "e047"])
    #expect(result.status == 0)
    #expect(result.out.hasPrefix("E047 分档有空档"))
    #expect(result.out.contains("改法："))
    let unknown = Self.run(["explain", "E999"])
    #expect(unknown.status == 2)
    #expect(unknown.err.hasPrefix("没有诊断代码“E999”"))
    #expect(Self.run(["explain", "--list"]).out.contains("W007  "))
  }

  // MARK: test

  static let scored = """
    规则集 "满意度" {
      满分 6
      等级 { 优 ≥ 5；差 }
      指标 满意度指标 6 {
        输入 满意度：百分比
        得分 = 分档 满意度 { ≥ 95% → 6；[90%, 95%) → 4；< 90% → 1 }
      }
    }

    """

  @Test func shippedRuleTestsPassWithFullCoverage() {
    let result = Self.run(["test", Repository.root + "Rules", "--coverage"])
    #expect(result.status == 0, "\(result.out)")
    #expect(result.out.contains("shenzhen-project-2023.rules：分支、分档和清单项全部被测试覆盖"))
    #expect(result.out.hasSuffix(" passed, 0 failed\n"))
  }

  @Test func failingTestShowsExpectedActualAndTheComputation() throws {
    let folder = try Self.folder([
      "satisfaction.rules": Self.scored,
      "satisfaction.test.rules": """
      适用 "satisfaction.rules"
      测试 "恰为 95% 得 6 分" {
        输入 { 满意度 = 95% }
        期望 满意度指标 = 6
        期望 等级 = "优"
      }
      测试 "恰为 90% 得 4 分（写错成 6）" {
        输入 { 满意度 = 90% }
        期望 满意度指标 = 6
      }
      测试 "没有给满意度" {
        输入 { 满意 = 90% }
        期望 满意度指标 = 4
      }
      """,
    ])
    let result = Self.run(["test", folder])
    #expect(result.status == 1)
    #expect(
      result.out.contains("✗ \(folder)satisfaction.test.rules:7 恰为 90% 得 4 分（写错成 6）\n  第 9 行：期望“满意度指标” = 6，实际 = 4\n"))
    #expect(result.out.contains("分档 满意度 { ≥ 95% → 6；[90%, 95%) → 4；< 90% → 1 }"))
    #expect(result.out.contains("第 12 行：规则中没有名为“满意”的输入；是否指“满意度”？"))
    #expect(result.out.contains("测试没有给出输入“满意度”"))
    #expect(result.out.hasSuffix("1 passed, 2 failed\n"))
  }

  @Test func everyKindOfExpectationReportsItsMismatch() throws {
    let folder = try Self.folder([
      "satisfaction.rules": Self.scored,
      "kinds.test.rules": """
      适用 "satisfaction.rules"
      测试 "各种期望都不符" {
        输入 { 满意度 = 92% }
        期望 总分 = 6
        期望 等级 = "优"
        期望 诊断 = "E034"
        期望 诊断 = "E999"
        期望 不存在的指标 = 1
      }
      测试 "百分比没写 %" {
        输入 { 满意度 = 80 }
      }
      测试 "写错的值和行" {
        输入 { 满意度 = "很高" }
        逐行 { "产出指标"，"数量指标"，"甲"，"≥1个"，"1个"，2 }
        期望 满意度指标 = 1
      }
      """,
    ])
    let result = Self.run(["test", folder + "kinds.test.rules"])
    #expect(result.status == 1)
    Self.expectLines(
      result.out,
      [
        "  第 4 行：期望总分 = 6，实际 = 4",
        "  第 5 行：期望等级 = 优，实际 = 差",
        "  第 6 行：期望出现诊断 E034，实际：没有诊断",
        "  第 7 行：没有诊断代码“E999”；jixiao explain --list 列出全部代码",
        "  第 8 行：规则中没有名为“不存在的指标”的指标",
        "  第 11 行：“满意度”是百分比，数要带 %，如 80%（写 80 就是 8000%）",
        "  第 14 行：“满意度”的值应是百分比，如 95%",
        "  第 15 行：规则中没有逐行指标，不能写“逐行”",
      ])
    #expect(result.out.hasSuffix("0 passed, 3 failed\n"))
  }

  @Test func tableRowTestsSayWhyARowCannotBeScored() throws {
    let folder = try Self.folder([
      "rows.test.rules": """
      适用 "\(Repository.root)Rules/shenzhen-project-2023.rules"
      测试 "行" {
        逐行 { "产出指"，"数量指标"，"硒鼓"，"≥20个"，"18个"，2 }
        逐行 { "产出指标"，"时效指标"，"响应"，"≤2小时"，"1天"，2 }
        期望 响应 = 2
        期望 等级 = "良好"
      }
      """
    ])
    let result = Self.run(["test", folder])
    #expect(result.status == 1)
    Self.expectLines(
      result.out,
      [
        "  第 3 行：一级指标“产出指”不是逐行指标（有：产出指标、效益指标、满意度指标）；是否指“产出指标”？",
        "      E044 第 1 行“响应”：年度指标值“≤2小时”与实际完成值“1天”的单位不同，无法比较",
        "  第 6 行：规则中没有等级“良好”（有：优、良、中、差）",
      ])
  }

  @Test func markdownOverviewOfSeveralFiles() {
    let folder = Repository.root + "Examples/luohu-projects-2023/"
    let result = Self.run([
      "eval", Repository.root + "Rules/shenzhen-project-2023.rules", folder, "--format", "markdown",
    ])
    #expect(result.status == 0)
    #expect(result.out.contains("## 汇总（11 份）\n\n| 被评价对象 | 综合评分 | 等级 | 填报总分 | 不一致 | 评审调整 | 采用填报 |\n| --- |"))
    #expect(result.out.contains("| 其他管理事务（440303210301500004143） | 97.53 | 优 | 97.53 | 0 | 2 | 0 |"))
  }

  @Test func coverageListsBandsNoTestReached() throws {
    let folder = try Self.folder([
      "inline.rules": Self.scored + """
        测试 "恰为 95%" {
          输入 { 满意度 = 95% }
          期望 满意度指标 = 6
          期望 总分 = 6
        }
        测试 "除数不会为零，但没有数据时报缺少输入" {
          期望 诊断 = "E034"
        }
        """
    ])
    let result = Self.run(["test", folder + "inline.rules", "--coverage"])
    #expect(result.status == 1)
    #expect(result.out.contains("以下规则没有测试走到（5 处）"))
    #expect(result.out.contains("第 6 行：分档的一档“[90%, 95%) → 4”"))
    #expect(result.out.contains("第 6 行：分档的一档“< 90% → 1”"))
    // The limits too: 95% was tested exactly, but nothing below or above it, nor at 90%.
    #expect(result.out.contains("第 6 行：分档界限 95%：没有测试使“满意度”低于、高于 95%"))
    #expect(result.out.contains("第 6 行：分档界限 90%：没有测试使“满意度”恰好等于、低于 90%"))
    #expect(result.out.contains("没有测试的综合评分低于"))
    #expect(result.out.hasSuffix("2 passed, 0 failed\n"))
    #expect(Self.run(["test", folder + "inline.rules"]).status == 0)
  }

  @Test func testFileThatDoesNotParseFailsTheRun() throws {
    let folder = try Self.folder([
      "satisfaction.rules": Self.scored,
      "broken.test.rules": """
      适用 "satisfaction.rules"
      测试 "恰为 95%" {
        输入 { 满意度 = 95% }
        期望 满意度指标 = 6
      }
      测试 "少了右花括号" {
        输入 { 满意度 = 90%
      }
      """,
    ])
    let result = Self.run(["test", folder + "broken.test.rules"])
    #expect(result.status == 1)
    #expect(result.out.hasSuffix("1 个文件有错误（见上），其中的测试可能没有全部读到\n1 passed, 0 failed\n"))
    #expect(result.err.contains("broken.test.rules:8:2: 错误[E004]: 这里应有右花括号 } 来结束测试，但遇到了文件结尾"))
  }

  @Test func coverageFailsForARuleFileWithoutTests() throws {
    let folder = try Self.folder([
      "untested.rules": Self.scored,
      "a.test.rules": "适用 \"b.test.rules\"\n测试 \"甲\" { 期望 总分 = 1 }\n",
      "b.test.rules": "适用 \"a.test.rules\"\n",
    ])
    let result = Self.run(["test", folder, "--coverage"])
    #expect(result.status == 1)
    #expect(result.out.contains("\(folder)untested.rules：没有任何测试；请在同一文件夹写 *.test.rules，开头用 适用 \"…\" 指明此文件\n"))
    #expect(result.err.contains("\(folder)a.test.rules：“适用”所指的“\(folder)b.test.rules”中没有规则集，测试无从运行"))
    let empty = try Self.folder([:])
    #expect(Self.run(["test", empty]).status == 1)
    #expect(Self.run(["eval", folder + "untested.rules", empty]).status == 1)
  }

  @Test func testsOfRulesWithErrorsAreCountedAsNotRun() throws {
    let folder = try Self.folder([
      "inline.rules":
        "规则集 \"x\" {\n  满分 10\n  指标 甲 10 { 输入 a：数值  输入 b：数值  得分 = 封顶（a ÷ b，10） }\n}\n测试 \"t\" { 期望 总分 = 1 }\n"
    ])
    let result = Self.run(["test", folder, "--coverage"])
    #expect(result.status == 1)
    #expect(result.err.contains("错误[E045]"))
    #expect(result.out == "1 个测试因规则有错误而未能运行\n0 passed, 0 failed\n")
  }

  @Test func testValuesAreCheckedLikeData() throws {
    let folder = try Self.folder([
      "c.rules": """
      规则集 "选项" {
        满分 4
        指标 预算公开 4 {
          输入 公开：选项（按规定公开，公开但有缺陷，未公开）
          得分 = 分档 公开 { "按规定公开" → 4；"公开但有缺陷" → 2；"未公开" → 0 }
        }
      }
      测试 "写错选项" {
        输入 { 公开 = "按规则公开" }
        期望 预算公开 = 4
      }
      测试 "未加引号" {
        输入 { 公开 = 未公开 }
        期望 预算公开 = "0"
      }

      """
    ])
    let result = Self.run(["test", folder + "c.rules"])
    Self.expectLines(
      result.out,
      [
        "  第 9 行：“公开”的值“按规则公开”不是可选的选项（有：按规定公开、公开但有缺陷、未公开）；是否指“按规定公开”？",
        "  第 13 行：“公开”的值“未公开”是文字，要加引号：\"未公开\"",
        "  第 14 行：“预算公开”的期望得分应写数字，不加引号",
      ])
    #expect(!result.out.contains("测试没有给出输入"))
  }

  // MARK: fmt

  @Test func fmtRewritesAndCheckReportsWhatWouldChange() throws {
    let messy = "规则集 \"乱\" {\n满分 6\n  指标 满意度指标 6 {  输入 满意度：百分比\n得分 = 封顶（满意度×6，6） # 注释留着\n}\n}\n"
    let folder = try Self.folder(["messy.rules": messy])
    let path = folder + "messy.rules"
    let check = Self.run(["fmt", "--check", folder])
    #expect(check.status == 1)
    #expect(check.out == "\(path)：格式需要整理（运行 jixiao fmt \(path)）\n")
    #expect(try String(contentsOfFile: path, encoding: .utf8) == messy)
    #expect(Self.run(["fmt", path]).status == 0)
    let formatted = try String(contentsOfFile: path, encoding: .utf8)
    #expect(formatted.contains("# 注释留着"))
    #expect(formatted.contains("\n    得分 = 封顶（满意度 × 6，6）"))
    #expect(Self.run(["fmt", "--check", path]).status == 0)
  }

  @Test func fmtRefusesFilesThatDoNotParse() throws {
    let folder = try Self.folder(["broken.rules": "规则集 \"坏\" { 满分 \n"])
    let result = Self.run(["fmt", folder + "broken.rules"])
    #expect(result.status == 1)
    #expect(result.err.contains("错误[E"))
    #expect(try String(contentsOfFile: folder + "broken.rules", encoding: .utf8) == "规则集 \"坏\" { 满分 \n")
  }
}

/// `jixiao diff`: the change memo between the two shipped department frameworks, and its effect
/// on the three real reports.
@Suite struct DiffCommandTests {
  @Test func shippedFrameworksGiveAMemoAndTheirEffect() throws {
    let rules = Repository.root + "Rules/"
    let result = CommandsTests.run([
      "diff", rules + "shenzhen-department-2019.rules", rules + "shenzhen-department-2022.rules", "--data",
      Repository.root + "Examples",
    ])
    #expect(result.status == 1)
    CommandsTests.expectLines(
      result.out,
      [
        "    - 改名：“社会效益、经济效益、生态效益及可持续影响等”改称“社会效益、经济效益、生态效益等”",
        "    - “部门决策” 25 → 20 分（-5）",
        "    - “绩效目标完整性” 8 → 3 分（-5）",
        "    - 绩效目标完整性：公式中的数 8 → 3",
        "    - “效果性评分”：0..20 分 → 0..25 分",
      ])
    // Dapeng 2021 and Futian 2020 lose the 5 points 绩效目标完整性 gives up; Luohu 2022's 25-point
    // 效果性评分 does not fit the 2019 range.
    #expect(result.out.contains("深圳市大鹏新区政务服务数据管理局         93.76  优           88.76  良        -5  绩效目标完整性 8 → 3"))
    #expect(result.out.contains("深圳市福田区数字化城管技术服务中心       92.96  优           87.96  良        -5  绩效目标完整性 8 → 3"))
    #expect(result.out.contains("按原规则无法计分：“效果性评分”的值 25 超出范围 0..20"))
  }

  @Test func exitCodesFollowDiff() throws {
    let rules = Repository.root + "Rules/shenzhen-department-2022.rules"
    let same = CommandsTests.run(["diff", rules, rules])
    #expect(same.status == 0)
    #expect(same.out.contains("计分规则没有变化"))
    #expect(CommandsTests.run(["diff", rules]).status == 2)
    let json = CommandsTests.run([
      "diff", Repository.root + "Rules/shenzhen-department-2019.rules", rules, "--format", "json",
    ])
    let parsed = try JSON.parse(json.out)
    #expect(parsed["equivalent"]?.value == .bool(false))
    #expect(parsed["logic"]?.elements?.isEmpty == false)
    let markdown = CommandsTests.run([
      "diff", Repository.root + "Rules/shenzhen-department-2019.rules", rules, "--format", "markdown",
    ])
    #expect(markdown.out.hasPrefix("# 修订说明："))
    #expect(markdown.out.contains("## 二、文字的变化（34 项，不影响计分）"))
  }

  @Test func aRevisionFileIsComparedWithItsBase() throws {
    let folder = try CommandsTests.folder([
      "shenzhen-department-2022.rules": try String(
        contentsOfFile: Repository.root + "Rules/shenzhen-department-2022.rules", encoding: .utf8),
      "shenzhen-department-2025.rules": try String(
        contentsOfFile: Repository.root + "Tests/Fixtures/revision/shenzhen-department-2025.rules", encoding: .utf8),
    ])
    let result = CommandsTests.run([
      "diff", folder + "shenzhen-department-2022.rules", folder + "shenzhen-department-2025.rules", "--data",
      Repository.root + "Examples/luohu-2022.json",
    ])
    CommandsTests.expectLines(
      result.out,
      [
        "    - 删除指标“项目监管”（原在“项目管理”下，2 分）",
        "    - 新增指标“项目绩效运行监控”（在“项目管理”下，2 分）",
        "    - “预算执行率” 6 → 4 分（-2）",
        "    - “重点工作完成情况” 8 → 10 分（+2）",
        "    - 公众或服务对象满意度：分档界限或得分 95% → 92%、90% → 85%",
        "    - 新增评审项“开展绩效运行监控”：各单位须填写（是否按要求开展绩效运行监控并及时纠偏）",
      ])
    // Luohu 2022 under the revision: 预算执行率 5.82 → 3.91 (quarters × 0.5), 重点工作 8 → 10; the new
    // assessment is not in its data, so the new total cannot be computed and the memo says why.
    #expect(result.out.contains("预算执行率 5.82 → 3.91；重点工作完成情况 8 → 10"))
    #expect(result.out.contains("新规则缺少数据：开展绩效运行监控"))
    let check = CommandsTests.run(["check", "--deny-warnings", folder + "shenzhen-department-2025.rules"])
    #expect(check.status == 0, "\(check.err)")
  }
}

/// `jixiao doc` and `jixiao template`: the published table and the blank data file, from the rules.
@Suite struct DocAndTemplateTests {
  static let rules = Repository.root + "Rules/"

  @Test func docPrintsThePublishedTable() {
    let result = CommandsTests.run(["doc", Self.rules + "shenzhen-department-2019.rules"])
    #expect(result.status == 0)
    CommandsTests.expectLines(
      result.out,
      [
        "# 深圳市部门整体支出绩效评价（2019年修订）",
        "| 指标 | 分值 | 指标解释 | 评分标准 | 计分方法 |",
        "| 优 | 90 至 100（含 90） |",
        "| 差 | 低于 60 |",
      ])
    #expect(result.out.contains("| 　　绩效目标完整性 | 8 | "))
    #expect(result.out.contains("得分 = 保底（8 － 1 × 不符合要求的绩效目标数，0） |"))
    #expect(result.out.contains("按“固定资产利用率”分档：≥ 90% 得 1 分；[75%, 90%) 得 0.7 分；[60%, 75%) 得 0.4 分；< 60% 得 0 分"))
    #expect(result.out.contains("✓ 包含效益指标：2 分"))
    #expect(result.out.contains("| 季度执行率 | 百分比 × 4 |"))
    // A project template's row scoring: its methods, and the words and units that decide rows.
    let project = CommandsTests.run(["doc", Self.rules + "shenzhen-project-2023.rules"])
    CommandsTests.expectLines(
      project.out,
      ["- 同义：是，满意，满足，符合", "- 未达成：不满意，不满足，不符合，否，未完成，未通过", "- 换算：1 小时 = 60 分钟，1 项 = 1 份"])
  }

  @Test func docAsAPrintablePageEscapesAndMarksChanges() throws {
    let folder = try CommandsTests.folder([
      "base.rules": """
      规则集 "示例<script>" {
        满分 2
        指标 甲 2 { 说明 "a < b & c" 输入 数：数量 "数" 得分 = 保底（2 － 1 × 数，0） }
      }
      """,
      "rev.rules": """
      基于 "base.rules"
      规则集 "修订" { 指标 甲 { 得分 = 保底（2 － 2 × 数，0） } }
      """,
    ])
    let page = CommandsTests.run(["doc", folder + "base.rules", "--format", "html"])
    #expect(page.out.hasPrefix("<!DOCTYPE html>"))
    #expect(page.out.contains("<title>示例&lt;script&gt;</title>"))
    #expect(page.out.contains("<td>a &lt; b &amp; c</td>"))
    #expect(!page.out.contains("<script>"))
    #expect(
      page.out.contains("@page { size: A4 landscape;") && page.out.contains("thead { display: table-header-group; }"))
    let changed = CommandsTests.run([
      "doc", folder + "rev.rules", "--format", "html", "--changes-from", folder + "base.rules",
    ])
    #expect(changed.out.contains("<tr class=\"changed\"><td class=\"name level1\">甲</td>"))
    #expect(changed.out.contains("修订：公式中的数 1 → 2"))
  }

  /// The blank template filled in with an example's inputs reads exactly as the example does.
  @Test(arguments: [
    ("shenzhen-department-2019.rules", "dapeng-2021.json"), ("shenzhen-department-2019.rules", "futian-2020.json"),
    ("shenzhen-department-2022.rules", "luohu-2022.json"),
    ("shenzhen-project-2023.rules", "luohu-projects-2023/440303210301500004143.json"),
  ])
  func filledTemplateEqualsTheExample(rules: String, example: String) throws {
    let result = CommandsTests.run(["template", Self.rules + rules])
    #expect(result.status == 0)
    let template = try JSON.parse(result.out)
    let exampleText = try String(contentsOfFile: Repository.root + "Examples/" + example, encoding: .utf8)
    let given = try #require(try JSON.parse(exampleText)["inputs"]?.members)
    let names = try #require(template["inputs"]?.members?.map(\.key))
    // Every input the example gives is in the template.
    #expect(given.allSatisfy { names.contains($0.key) }, "\(given.map(\.key).filter { !names.contains($0) })")
    // Fill the template: each blank value replaced by the example's, as staff would type it.
    var filled = result.out
    for member in given {
      // {"value": …, "reason": …} in the example: its value goes into the template's value.
      let node = member.value["value"] ?? member.value
      let value = String(
        String.UnicodeScalarView(
          exampleText.unicodeScalars.dropFirst(node.start.offset).prefix(node.end.offset - node.start.offset)))
      let blank = "\"\(member.key)\": {\n      \"value\": null"
      #expect(filled.contains(blank), "\(member.key)")
      filled = filled.replacingOccurrences(of: blank, with: "\"\(member.key)\": {\n      \"value\": \(value)")
    }
    let plan = try #require(
      Compiler.compile(SourceFile(path: rules, text: try String(contentsOfFile: Self.rules + rules, encoding: .utf8)))
        .plan)
    let (fromTemplate, _) = DataDecoder.decode(SourceFile(path: "t.json", text: filled), for: plan)
    let (fromExample, _) = DataDecoder.decode(SourceFile(path: "e.json", text: exampleText), for: plan)
    let a = try #require(fromTemplate).given.mapValues { $0.value }
    let b = try #require(fromExample).given.mapValues { $0.value }
    #expect(a.count == b.count)
    for (cell, value) in b { #expect(a[cell] == value, "\(plan.program.cells[cell].name)") }
  }

  @Test func checkOnTheBlankTemplateNamesWhatIsMissing() throws {
    let folder = try CommandsTests.folder([:])
    let written = CommandsTests.run([
      "template", Self.rules + "shenzhen-project-2023.rules", "--output", folder + "t.json",
    ])
    #expect(written.status == 0)
    let check = CommandsTests.run(["check", folder + "t.json"])
    #expect(check.status == 1)
    #expect(check.err.contains("缺少输入“全年预算数”，指标“预算执行率”需要它"))
    #expect(check.err.contains("数据文件缺少被评价单位名称 \"subject\""))
    #expect(check.err.contains("还没有填写年度绩效指标的各行 \"rows\""))
    #expect(!check.err.contains("[E032]") && !check.err.contains("[E030]"))
  }
}

/// `jixiao template --format csv` writes the header the batch reader reads: filled in, it scores.
@Suite struct TemplateTableTests {
  @Test func aFilledTableTemplateScores() throws {
    let rules = Repository.root + "Rules/shenzhen-project-2023.rules"
    let header = CommandsTests.run(["template", rules, "--format", "csv"])
    #expect(header.status == 0)
    #expect(header.out.hasPrefix("被评价单位,年度,项目编码,项目名称,一级预算单位,全年预算数（元）,全年执行数（元）,一级指标,"))
    let columns = header.out.trimmingCharacters(in: .newlines).split(separator: ",").map(String.init)
    func line(_ values: [String: String]) -> String { columns.map { values[$0] ?? "" }.joined(separator: ",") }
    let project = ["被评价单位": "单位", "项目编码": "P1", "项目名称": "示例项目", "全年预算数（元）": "100", "全年执行数（元）": "90"]
    let rows = [
      ["一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "培训", "年度指标值": "≥10次", "实际完成值": "10次", "分值": "50"],
      ["一级指标": "效益指标", "二级指标": "社会效益指标", "三级指标": "保障", "年度指标值": "满足", "实际完成值": "满足", "分值": "30"],
      ["一级指标": "满意度指标", "二级指标": "服务对象满意度指标", "三级指标": "满意度", "年度指标值": "≥90%", "实际完成值": "90%", "分值": "10"],
    ].map { line(project.merging($0) { a, _ in a }) }
    let folder = try CommandsTests.folder([
      "t.csv": ([header.out.trimmingCharacters(in: .newlines)] + rows).joined(separator: "\n") + "\n"
    ])
    let result = CommandsTests.run(["eval", rules, folder + "t.csv", "--format", "json"])
    #expect(result.status == 0, "\(result.err)")
    // 9 for 90% execution, and the three rows in full: 99.
    #expect(result.out.contains("\"total\": 99"))
  }
}

/// `jixiao diff --data` on project tables names each table by its project.
@Suite struct DiffProjectTablesTests {
  @Test func eachTableIsNamedByItsProject() {
    let rules = Repository.root + "Rules/shenzhen-project-2023.rules"
    let result = CommandsTests.run(["diff", rules, rules, "--data", Repository.root + "Examples/luohu-projects-2023"])
    #expect(result.status == 0)
    #expect(result.out.contains("其他管理事务（440303210301500004143）"))
  }
}
