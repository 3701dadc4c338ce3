import Foundation
import Testing

@testable import JixiaoEngine
@testable import jixiao

/// Batch scoring from tables (CSV, TSV, JSON Lines) through the real CLI code path: the shipped
/// examples give the same sheets as their JSON files, every malformed table is a diagnostic with
/// its line and column, and rows in = scored + refused.
@Suite struct BatchTests {
  static let tables = Repository.root + "Tests/Fixtures/batch/"
  static let examples = Repository.root + "Examples/"
  static let guideRules = """
    规则集 "示例" {
      满分 10
      精度 2
      等级 { 优 ≥ 9；良 ≥ 8；中 ≥ 6；差 }
      指标 预算执行率 3 {
        输入 全年预算数：金额（万元） "全年预算数"
        输入 全年执行数：金额（万元） "全年执行数"
        得分 = 如果 全年预算数 = 0 则 3 否则 封顶（全年执行数 ÷ 全年预算数 × 3，3）
      }
      指标 管理规范性 3 {
        评审 制度健全：是否 "制定了项目管理制度"
        评审 资金使用合规：0..2 分 "资金使用的合规程度"
        得分 = （如果 制度健全 则 1 否则 0）＋ 资金使用合规
      }
      指标 服务对象满意度 4 {
        输入 满意度：百分比 "满意度"
        输入 季度进度：百分比 × 2 "上下半年"
        得分 = 分档 满意度 { ≥ 95% → 4；[85%, 95%) → 3；[70%, 85%) → 2；< 70% → 0 }
      }
    }
    """
  static let header = "被评价单位,全年预算数（万元）,全年执行数（万元）,制度健全,资金使用合规,资金使用合规理由,满意度（%）,季度进度1（%）,季度进度2（%）"

  /// The sheets of a JSON run, without what depends on the file (its name, diagnostics' places).
  static func sheets(_ output: String) throws -> [JSONNode] {
    let root = try JSON.parse(output)
    return root.elements ?? [root]
  }

  static func comparable(_ sheet: JSONNode) -> JSONValue {
    .object(
      (sheet.members ?? []).filter { !["file", "line", "diagnostics"].contains($0.key) }.map {
        JSONMember(key: $0.key, keyStart: origin, keyEnd: origin, value: placeless($0.value))
      })
  }

  static let origin = JSONPosition(line: 0, column: 0, offset: 0)

  static func placeless(_ node: JSONNode) -> JSONNode {
    var value = node.value
    switch value {
    case .object(let members):
      value = .object(
        members.map { JSONMember(key: $0.key, keyStart: origin, keyEnd: origin, value: placeless($0.value)) })
    case .array(let elements): value = .array(elements.map(placeless))
    default: break
    }
    return JSONNode(value: value, start: origin, end: origin)
  }

  /// Every table of the shipped examples, as a CSV in UTF-8 and in GB18030, scores exactly as the JSON files.
  @Test(arguments: [
    ("departments-2019.csv", "shenzhen-department-2019.rules", ["dapeng-2021.json", "futian-2020.json"]),
    ("departments-2022.csv", "shenzhen-department-2022.rules", ["luohu-2022.json"]),
    (
      "luohu-projects-2023.csv", "shenzhen-project-2023.rules",
      [
        "440303210300200001664", "440303210300200001884", "440303210301500001278", "440303210301500004143",
        "440303210301500004180", "440303210301500004502", "440303210301500004536", "440303221550216300001",
        "440303221550216305000", "440303231550216305003", "440303231550216305004",
      ].map { "luohu-projects-2023/\($0).json" }
    ),
  ])
  func shippedExamplesScoreAlikeFromTables(table: String, rules: String, files: [String]) throws {
    let rulesPath = Repository.root + "Rules/" + rules
    let fromJSON = CommandsTests.run(["eval", rulesPath] + files.map { Self.examples + $0 } + ["--format", "json"])
    #expect(fromJSON.status == 0)
    let expected = try Self.sheets(fromJSON.out).map(Self.comparable)
    let utf8 = try #require(FileManager.default.contents(atPath: Self.tables + table))
    let text = try #require(String(data: utf8, encoding: .utf8))
    let gb = try #require(text.data(using: TableLines.gb18030))
    #expect(gb != utf8)
    let folder = try CommandsTests.folder([:])
    #expect(FileManager.default.createFile(atPath: folder + "gb18030.csv", contents: gb))
    for path in [Self.tables + table, folder + "gb18030.csv"] {
      let run = CommandsTests.run(["eval", rulesPath, path, "--format", "json"])
      #expect(run.status == 0, "\(run.err)")
      let sheets = try Self.sheets(run.out)
      #expect(sheets.map(Self.comparable) == expected)
      #expect(
        sheets.map { CommandsTests.text($0["total"]) }
          == (try Self.sheets(fromJSON.out)).map { CommandsTests.text($0["total"]) })
      #expect(run.err.contains("读入 \(files.count) 条，计分 \(files.count) 条，未计分 0 条"), "\(run.err)")
    }
  }

  /// A table with good rows and every kind of bad row: each bad row refused with its diagnostic
  /// and place, the good ones scored, rows in = scored + refused, exit 1.
  @Test func badRowsAreRefusedAndCounted() throws {
    var bytes = Array((Self.header + "\r\n").utf8)
    bytes += Array("甲单位,1200,1080,是,2,,96%,40,90\r\n".utf8)  // line 2: 2.7 + 3 + 4 = 9.7
    bytes += Array("乙单位,\"1,000\",990,是,1.5,\"经费报销凭证不全，\"\"三公\"\"超支\",90,40%,90%\r\n".utf8)  // line 3
    bytes += Array("丙单位,1,200,1080,是,2,,96,40,90\r\n".utf8)  // line 4: one column too many
    bytes += [0xFF] + Array("丁单位,1000,990,是,2,,96,40,90\r\n".utf8)  // line 5: not UTF-8
    bytes += Array("戊单位,1000,990,是,1.5,,96,40,90\r\n".utf8)  // line 6: no reason
    bytes += Array("己单位,1000,990,是,2,,96,40,\r\n".utf8)  // line 7: half a list
    bytes += Array(",,,,,,,,\r\n".utf8)  // blank: no row
    bytes += Array("庚单位,1000,990,是,2,,\"96\n".utf8)  // line 9: quote never closed
    let folder = try CommandsTests.folder([:])
    #expect(FileManager.default.createFile(atPath: folder + "批量.csv", contents: Data(bytes)))
    let rules = folder + "示例.rules"
    try Self.guideRules.write(toFile: rules, atomically: true, encoding: .utf8)
    let run = CommandsTests.run(["eval", rules, folder + "批量.csv"])
    #expect(run.status == 1)
    let lines = run.out.split(separator: "\n").map(String.init)
    #expect(lines.count == 8)
    let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    #expect(rows.map { $0[1] } == ["2", "3", "4", "5", "6", "7", "9"])
    #expect(rows.map { $0[2] } == ["已计分", "已计分", "未计分", "未计分", "未计分", "未计分", "未计分"])
    #expect(rows[0][5] == "9.7" && rows[0][6] == "优")
    // 990 ÷ 1000 × 3 = 2.97; 1 + 1.5 = 2.5; 90% → 3.
    #expect(rows[1][5] == "8.47" && rows[1][6] == "良")
    let csv = folder + "批量.csv"
    CommandsTests.expectLines(
      run.err,
      [
        "\(csv):4:27: 错误[E063]: 这一行有 10 列，表头有 9 列",
        "\(csv):5:1: 错误[E065]: 第 5 行含有不是本文件编码（UTF-8 或 GB18030）的字节，这一行无法读取",
        "\(csv):6:16: 错误[E035]: 评审项“资金使用合规”未得满分（填写的是 1.5，满分为 2），必须写明理由",
        "= 列：资金使用合规", "= 在同一行的“资金使用合规理由”列写明扣分理由",
        "\(csv):7:22: 错误[E032]: “季度进度”有 2 列，“季度进度2”没有填写",
        "\(csv):9:20: 错误[E063]: 从第 9 行开始的一格以引号开头，直到文件末尾都没有右引号：其后各行都被当成了这一格",
        "\(csv)：读入 7 条，计分 2 条，未计分 5 条",
      ])
  }

  /// A table is filled in by columns: what to fill is said by the template's column header, not
  /// by the JSON fields (inputs, useReported, reported.scores) a data file's hint names.
  @Test func hintsNameTheTablesColumns() throws {
    let header = Self.header + ",预算执行率填报得分,预算执行率采用填报理由"
    let rows = [
      "甲单位,,1080,是,2,,96,40,90,,",  // line 2: 全年预算数 blank
      "乙单位,,1080,是,2,,96,40,90,,报告未列预算数",  // line 3: takes a reported score it does not give
      "丙单位,1200,1080,是,2,,,40,90,,",  // line 4: 满意度 blank
    ]
    let folder = try CommandsTests.folder([
      "示例.rules": Self.guideRules, "表.csv": ([header] + rows).joined(separator: "\n") + "\n",
    ])
    let run = CommandsTests.run(["eval", folder + "示例.rules", folder + "表.csv"])
    #expect(run.status == 1)
    let csv = folder + "表.csv"
    CommandsTests.expectLines(
      run.err,
      [
        "\(csv):2:1: 错误[E034]: 缺少输入“全年预算数”，指标“预算执行率”需要它",
        "= 在“全年预算数（万元）”列填写（金额，单位万元，如 18779.46）",
        "= 如报告没有这项数据，可在“预算执行率采用填报理由”列写明理由，采用“预算执行率填报得分”列填写的报告得分",
        "\(csv):3:1: 错误[E037]: “预算执行率采用填报理由”列要求采用指标“预算执行率”的填报得分，但“预算执行率填报得分”列没有填写",
        "\(csv):4:1: 错误[E034]: 缺少输入“满意度”，指标“服务对象满意度”需要它",
        "= 在“满意度（%）”列填写（百分比，如 93.5%；列名注明 % 的列也可只写 93.5）",
      ])
    for field in ["inputs", "useReported", "reported.scores"] { #expect(!run.err.contains(field), "\(run.err)") }
    // A data file keeps naming its JSON fields.
    let json = #"{"subject": "甲单位", "inputs": {"全年执行数": "1080"}}"#
    try json.write(toFile: folder + "甲.json", atomically: true, encoding: .utf8)
    let file = CommandsTests.run(["eval", folder + "示例.rules", folder + "甲.json"])
    #expect(file.err.contains("= 在 inputs 中填写“全年预算数”（金额"), "\(file.err)")
  }

  /// Notes repeat for every alike table of a large batch: the first 20 are shown, the rest counted.
  @Test func notesBeyondTheFirstTwentyAreCounted() throws {
    let lines = try String(contentsOfFile: Self.tables + "luohu-projects-2023.csv", encoding: .utf8)
      .split(whereSeparator: \.isNewline).map(String.init)
    // 其他管理事务 has one note (a unit on one side only); 25 copies of it under their own codes.
    let project = lines.filter { $0.contains(",440303210301500004143,") }
    #expect(!project.isEmpty)
    let copies = (1...25).flatMap { copy in
      project.map { $0.replacing(",440303210301500004143,", with: ",44030321030150000\(1000 + copy),") }
    }
    let folder = try CommandsTests.folder(["表.csv": ([lines[0]] + copies).joined(separator: "\n") + "\n"])
    let run = CommandsTests.run(["eval", Repository.root + "Rules/shenzhen-project-2023.rules", folder + "表.csv"])
    #expect(run.status == 0)
    #expect(run.err.components(separatedBy: "说明[E044]").count - 1 == 20, "\(run.err)")
    #expect(run.err.contains("另有 5 条说明（不影响计分）未逐条列出"), "\(run.err)")
  }

  /// A project table's row reason is its 偏差原因分析及改进措施 column, not the rows' "reason" field.
  @Test func projectRowReasonNamesItsColumn() throws {
    let lines = try String(contentsOfFile: Self.tables + "luohu-projects-2023.csv", encoding: .utf8)
      .split(whereSeparator: \.isNewline).map {
        $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      }
    let project = lines.dropFirst().prefix { [lines[1][2], ""].contains($0[2]) }
    var rows = Array(project)
    rows[1][16] = "5"  // 评审得分 without a reason
    let table = ([lines[0]] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    let folder = try CommandsTests.folder(["项目.csv": table])
    let run = CommandsTests.run(["eval", Repository.root + "Rules/shenzhen-project-2023.rules", folder + "项目.csv"])
    #expect(run.status == 1)
    #expect(
      run.err.contains("用评审得分 5 代替计算得分，必须在“偏差原因分析及改进措施”列中写明理由\n"), "\(run.err)")
  }

  @Test func headerProblemsRefuseEveryRow() throws {
    let folder = try CommandsTests.folder([
      "示例.rules": Self.guideRules,
      "表.csv": "被评价单位,全年预算数（万元）,全年执行数（万元）,满意率（%）,制度健全,制度健全,满意度（人）\n甲,1,1,96%,是,是,96\n乙,1,1,96%,是,是,96\n",
    ])
    let run = CommandsTests.run(["eval", folder + "示例.rules", folder + "表.csv"])
    #expect(run.status == 1)
    let csv = folder + "表.csv"
    CommandsTests.expectLines(
      run.err,
      [
        "\(csv):1:27: 错误[E064]: 规则“示例”的表格中没有名为“满意率”的列", "  = 是否指“满意度”？",
        "\(csv):1:39: 错误[E064]: 列“制度健全”与前面的列“制度健全”是同一项，只能有一列",
        "\(csv):1:44: 错误[E064]: 列“满意度”是百分比，括号中只能写 %，不能是“人”",
        "\(csv)：读入 2 条，计分 0 条，未计分 2 条",
      ])
    #expect(run.out.split(separator: "\n").dropFirst().allSatisfy { $0.contains(",未计分,") })
  }

  /// A file that is neither UTF-8 nor GB18030 is a diagnostic, not mojibake.
  @Test func undecodableHeaderIsAnError() throws {
    let folder = try CommandsTests.folder(["示例.rules": Self.guideRules])
    #expect(
      FileManager.default.createFile(atPath: folder + "x.csv", contents: Data([0xFF, 0xFF, 0x2C, 0x41, 0x0A, 0x42])))
    let run = CommandsTests.run(["eval", folder + "示例.rules", folder + "x.csv"])
    #expect(run.status == 1)
    #expect(run.err.contains("x.csv:1:1: 错误[E065]: 第 1 行含有不是本文件编码（UTF-8 或 GB18030）的字节"), "\(run.err)")
    #expect(run.err.contains("读入 1 条，计分 0 条，未计分 1 条"), "\(run.err)")
  }

  /// TSV, a byte-order mark, true/false, and JSON Lines with one data object per line.
  @Test func tsvAndJSONLines() throws {
    let tsv =
      "\u{FEFF}" + Self.header.replacing(",", with: "\t") + "\n甲单位\t1200\t1080\ttrue\t2\t\t96%\t40\t90\n"
    let jsonl = """
      {"subject": "甲单位", "inputs": {"全年预算数": "1200", "全年执行数": "1080", "制度健全": true, "资金使用合规": 2, "满意度": "96%", "季度进度": ["40%", "90%"]}}

      {"subject": "乙单位", "inputs": {"全年预算数": "1200"}}
      not json
      """
    let folder = try CommandsTests.folder(["示例.rules": Self.guideRules, "a.tsv": tsv, "b.jsonl": jsonl])
    let run = CommandsTests.run([
      "eval", folder + "示例.rules", folder + "a.tsv", folder + "b.jsonl", "--format", "jsonl",
    ])
    #expect(run.status == 1)
    let sheets = try run.out.split(separator: "\n").map { try JSON.parse(String($0)) }
    #expect(sheets.map { CommandsTests.text($0["line"]) } == ["2", "1", "3", "4"])
    #expect(sheets.map { CommandsTests.text($0["total"]) } == ["9.7", "9.7", nil, nil])
    #expect(run.err.contains("b.jsonl:3:20: 错误[E034]"), "\(run.err)")
    #expect(run.err.contains("b.jsonl:4:1: 错误[E030]"), "\(run.err)")
    #expect(run.err.contains("合计：读入 4 条，计分 2 条，未计分 2 条"), "\(run.err)")
  }

  /// A JSON Lines object is a data file: a key written twice is still an error there.
  @Test func jsonLinesKeepTheDuplicateKeyCheck() throws {
    let line = #"{"subject": "甲", "subject": "乙", "inputs": {}}"#
    let folder = try CommandsTests.folder(["示例.rules": Self.guideRules, "d.jsonl": line + "\n"])
    let run = CommandsTests.run(["eval", folder + "示例.rules", folder + "d.jsonl"])
    #expect(run.status == 1)
    #expect(run.err.contains("d.jsonl:1:18: 错误[E038]: “subject”在同一处写了两次，只能写一次"), "\(run.err)")
  }

  /// --output writes the whole file under a temporary name and renames it; never over an input.
  @Test func outputFile() throws {
    let folder = try CommandsTests.folder([
      "示例.rules": Self.guideRules, "a.csv": Self.header + "\n甲单位,1200,1080,是,2,,96,40,90\n",
    ])
    let run = CommandsTests.run([
      "eval", folder + "示例.rules", folder + "a.csv", "--format", "json", "--output", folder + "out.json",
    ])
    #expect(run.status == 0 && run.out.isEmpty)
    let written = try Self.sheets(try String(contentsOfFile: folder + "out.json", encoding: .utf8))
    #expect(written.map { CommandsTests.text($0["total"]) } == ["9.7"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["a.csv", "out.json", "示例.rules"])
    let over = CommandsTests.run(["eval", folder + "示例.rules", folder + "a.csv", "--output", folder + "./a.csv"])
    #expect(over.status == 2 && over.err.contains("就是输入文件"))
    #expect(try String(contentsOfFile: folder + "a.csv", encoding: .utf8).hasPrefix("被评价单位"))
  }

  /// The template header reads back: every column of it is known to the reader, once.
  @Test(arguments: [
    "shenzhen-department-2019.rules", "shenzhen-department-2022.rules", "shenzhen-project-2023.rules",
    "hubei-project-template.rules",
  ])
  func templateHeaderIsAccepted(_ rules: String) throws {
    let plan = try #require(
      Compiler.compile(
        SourceFile(path: rules, text: try String(contentsOfFile: Repository.root + "Rules/" + rules, encoding: .utf8))
      ).plan)
    let headers = BatchColumns.template(for: plan).map(\.header)
    #expect(Set(headers).count == headers.count)
    let record = CSVParserTests.record(BatchRenderer.csvLine(headers))
    let header = TableHeader(
      record, file: SourceFile(path: "t.csv", text: String(String.UnicodeScalarView(record.text))), plan: plan)
    #expect(header.diagnostics.isEmpty)
    #expect(header.columns.allSatisfy { $0 != nil })
  }

  @Test func htmlPageHasRankingChartsAndSheets() throws {
    let run = CommandsTests.run([
      "eval", Repository.root + "Rules/" + "shenzhen-department-2019.rules", Self.tables + "departments-2019.csv",
      "--format", "html",
    ])
    #expect(run.status == 0)
    let page = run.out
    #expect(page.hasPrefix("<!DOCTYPE html>"))
    #expect(page.components(separatedBy: "<svg").count - 1 == 2)
    #expect(page.contains("<td><a href=\"#sheet-0\">深圳市大鹏新区政务服务数据管理局</a></td><td class=\"n\">93.76</td>"))
    #expect(page.contains("id=\"sheet-1\""))
    #expect(escapedForHTML("<b>\"甲\"&'") == "&lt;b&gt;&quot;甲&quot;&amp;&#39;")
  }
}

/// RFC 4180 as the parser reads it, line by line.
@Suite struct CSVParserTests {
  static func record(_ text: String) -> TableRecord {
    var parser = CSVParser(separator: ",")
    var found: TableRecord?
    let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
    for (number, line) in lines.enumerated() where found == nil {
      found = parser.feed(line, number: number + 1)
    }
    return found ?? parser.finish() ?? TableRecord(line: 0)
  }

  @Test func quotedFieldsWithCommasQuotesAndLineBreaks() {
    let record = Self.record("a,\"b,c\",\"say \"\"hi\"\"\",\"two\r\nlines\",\r")
    #expect(record.fields.map(\.text) == ["a", "b,c", "say \"hi\"", "two\nlines", ""])
    #expect(record.problem == nil)
  }

  /// An unbalanced quote is cut off after `longestField` lines, so memory stays bounded.
  @Test func unbalancedQuoteIsCutOff() {
    var parser = CSVParser(separator: ",")
    var records: [TableRecord] = []
    for number in 1...(CSVParser.longestField + 2) {
      if let record = parser.feed((number == 1 ? "甲,\"open" : "x,y").unicodeScalars, number: number) {
        records.append(record)
      }
    }
    #expect(records.count == 3)
    #expect(records[0].problem?.message.hasPrefix("从第 1 行开始的一格以引号开头，10000 行内都没有右引号") == true)
    #expect(records[1].line == CSVParser.longestField + 1 && records[1].problem == nil)
    #expect(records[1].fields.map(\.text) == ["x", "y"])
  }

  @Test func textAfterClosingQuoteIsAProblem() {
    let record = Self.record("\"a\"b,c")
    #expect(record.problem?.message.hasPrefix("引号括起的一格在右引号后还有内容") == true)
  }
}

/// `jixiao bench --synthetic`: the made-up departments are the same on every run, pass every
/// check, and the hand-written yardstick scores them exactly as the rules do.
@Suite struct SyntheticRecordsTests {
  @Test func recordsAreRepeatableValidAndScoredAlikeByHand() throws {
    let path = Repository.root + "Rules/shenzhen-department-2019.rules"
    let plan = try #require(
      Compiler.compile(SourceFile(path: path, text: try String(contentsOfFile: path, encoding: .utf8))).plan)
    var records = SyntheticRecords(plan: plan)
    var again = SyntheticRecords(plan: plan)
    var grades: Set<String> = []
    for number in 1...300 {
      let cells = records.next(number)
      #expect(cells == again.next(number))
      let (data, diagnostics) = DataDecoder.decode(SourceFile(path: "合成.json", text: records.json(cells)), for: plan)
      #expect(!diagnostics.hasErrors, "\(diagnostics.map(\.message))")
      let department = try #require(data)
      let sheet = Scorer.score(department, with: plan)
      let handWritten = try #require(Shenzhen2019(department, plan: plan))
      #expect(sheet.total == handWritten.exactTotal())
      grades.insert(sheet.grade ?? "")
    }
    #expect(grades.count >= 2)
  }
}
