import Foundation
import Testing

@testable import JixiaoEngine

/// Lines of a department table scored the short way (`PlainRows`, for CSV output) give the
/// output line the full way gives, cell for cell: for plain synthetic lines, and for lines whose
/// cells are written every way a spreadsheet writes them, which go the full way.
@Suite struct PlainRowsTests {
  /// The CSV output of a table's lines, scored with and without the short way; and how many
  /// lines took it.
  static func outputs(_ lines: [String], plan: EvaluationPlan) -> (plain: [[String]], full: [[String]], short: Int) {
    func run(_ scoresOnly: Bool) -> [BatchItem] {
      var table = TableBatch(
        path: "表.csv", separator: ",", plan: plan, compiled: scoresOnly ? CompiledPlan(plan) : nil)
      guard scoresOnly else {
        var items: [BatchItem] = []
        for (index, line) in lines.enumerated() { items += table.feed(line, number: index + 1) }
        return items + table.finish()
      }
      // In chunks, as `eval` feeds them: the header alone, then the rows on two cores.
      let numbered = lines.enumerated().map { (line: Optional($1), number: $0 + 1) }
      return table.feed(Array(numbered.prefix(1))) + table.feed(Array(numbered.dropFirst())) + table.finish()
    }
    let (plain, full) = (run(true), run(false))
    let render = { (item: BatchItem) in Self.row(item, file: "表.csv", plan: plan) }
    return (plain.map(render), full.map(render), plain.filter { $0.compiled != nil }.count)
  }

  /// The row's cells; the line written from them is the one written straight as bytes.
  static func row(_ item: BatchItem, file: String, plan: EvaluationPlan) -> [String] {
    let cells = BatchRenderer.csvRow(item, file: file, plan: plan)
    var bytes: [UInt8] = []
    BatchRenderer.appendCSVRow(item, file: file, plan: plan, to: &bytes)
    #expect(String(decoding: bytes, as: UTF8.self) == BatchRenderer.csvLine(cells), "line \(item.line)")
    return cells
  }

  /// Spellings of a cell that a person or a spreadsheet may write instead of the plain one.
  static func variants(of cell: String) -> [String] {
    var variants = ["", " \(cell) ", "\u{3000}\(cell)", cell + ".", "." + cell, "+" + cell, "-" + cell, cell + "%"]
    variants += [
      cell + "万元", cell + "元", "\"\(cell)\"", cell + "e3", "１２", "1,234", cell.uppercased(), "TRUE", "False",
    ]
    variants += ["是", "否", "未公开", "按规定公开 ", "0", "0.000000000000000001", "99999999999999999999", "100%", "1.5%"]
    // More digits than 64 bits hold, read in two parts.
    variants += ["1234567890123.123456", "123.4567890123456789", "12.3456789012345678"]
    return variants
  }

  @Test(arguments: ["shenzhen-department-2019.rules", "shenzhen-department-2022.rules"])
  func plainAndRewrittenLinesScoreAsTheFullWayScoresThem(_ rules: String) throws {
    let plan = try CompiledPlanTests.plan(Repository.rules + rules)
    var records = SyntheticRecords(plan: plan, seed: 99)
    let header = BatchRenderer.csvLine(records.columns.map(\.header))
    var lines = [header]
    var random = SplitMix(state: 5)
    for number in 1...600 {
      var cells = records.next(number)
      if number % 3 == 0 {
        // One or two cells written another way; a reason left out; a cell past the header.
        for _ in 0...Int(random.next() % 2) {
          let at = Int(random.next() % UInt64(cells.count))
          let options = Self.variants(of: cells[at])
          cells[at] = options[Int(random.next() % UInt64(options.count))]
        }
      }
      var line = cells.joined(separator: ",")
      if number % 50 == 0 { line += ",多余" }
      if number % 70 == 0 { line += ",  " }
      if number % 45 == 0 { line += "\r" }
      lines.append(line)
    }
    let (plain, full, short) = Self.outputs(lines, plan: plan)
    #expect(plain.count == full.count && plain.count == 600)
    for (index, (a, b)) in zip(plain, full).enumerated() { #expect(a == b, "line \(index + 2)") }
    // Most plain lines take the short way; rewritten ones mostly go the full way.
    #expect(short >= 350 && short < 600, "\(short)")
    #expect(full.contains { $0[2] == "未计分" } && full.contains { $0[2] == "已计分" })
  }

  /// JSON Lines for CSV output: a record that decodes without a diagnostic is scored by the
  /// compiled plan, and gives the output line the full way gives.
  @Test func jsonLinesScoreAsTheFullWayScoresThem() throws {
    let plan = try CompiledPlanTests.plan(Repository.rules + "shenzhen-department-2019.rules")
    var records = SyntheticRecords(plan: plan, seed: 4)
    var lines: [String] = []
    for number in 1...300 {
      var line = records.json(records.next(number))
      switch number % 6 {
      case 0: line = line.replacing("\"subject\"", with: "\"reported\": {\"total\": 88}, \"subject\"")
      case 1: line = line.replacing("\"合成数据\"", with: "\"\"")  // a reason left blank
      case 2: line = line.replacing("\"subject\"", with: "\"year\": 2024, \"subject\"")
      default: break
      }
      lines.append(number % 50 == 0 ? "{不是 JSON" : line)
    }
    func run(_ scoresOnly: Bool) -> [BatchItem] {
      var batch = JSONLinesBatch(path: "表.jsonl", plan: plan, compiled: scoresOnly ? CompiledPlan(plan) : nil)
      return lines.enumerated().flatMap { batch.feed($1, number: $0 + 1) }
    }
    let (short, full) = (run(true), run(false))
    let render = { (item: BatchItem) in Self.row(item, file: "表.jsonl", plan: plan) }
    #expect(short.count == full.count)
    for (a, b) in zip(short, full) { #expect(render(a) == render(b), "line \(a.line)") }
    let compiled = short.filter { $0.compiled != nil }.count
    #expect(compiled >= 120 && compiled < 300, "\(compiled)")
  }

  /// Chunks of any size give the items of feeding line by line, where a quoted cell runs over a
  /// line break (so the next line is not a record of its own, though it looks plain), where a
  /// line is not text in the file's encoding, and across the ends of chunks.
  @Test(arguments: [64, 100, 257])
  func chunksGiveTheItemsOfLineByLine(_ size: Int) throws {
    let plan = try CompiledPlanTests.plan(Repository.rules + "shenzhen-department-2019.rules")
    var records = SyntheticRecords(plan: plan, seed: 21)
    var lines: [String?] = [BatchRenderer.csvLine(records.columns.map(\.header))]
    for number in 1...700 {
      var cells = records.next(number)
      if number % 37 == 0 {
        // A name over three lines, the middle one a plain line of another record.
        let other = records.next(number + 10_000).joined(separator: ",")
        cells[0] = "\"第\(number)\n\(other)\n单位\""
      }
      let line = cells.joined(separator: ",")
      if number % 37 == 0 {
        lines += line.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      } else {
        lines.append(number % 41 == 0 ? nil : line)
      }
    }
    let numbered = lines.enumerated().map { (line: $1, number: $0 + 1) }
    var byLine = TableBatch(path: "表.csv", separator: ",", plan: plan, compiled: CompiledPlan(plan))
    let one = numbered.flatMap { byLine.feed($0.line, number: $0.number) } + byLine.finish()
    var inChunks = TableBatch(path: "表.csv", separator: ",", plan: plan, compiled: CompiledPlan(plan))
    var many: [BatchItem] = []
    for start in stride(from: 0, to: numbered.count, by: size) {
      many += inChunks.feed(Array(numbered[start..<min(start + size, numbered.count)]))
    }
    many += inChunks.finish()
    #expect(one.count == many.count && one.count == 700)
    for (a, b) in zip(one, many) {
      #expect(a.line == b.line && Self.row(a, file: "表.csv", plan: plan) == Self.row(b, file: "表.csv", plan: plan))
    }
    #expect(many.filter { !$0.isScored }.count >= 17, "the lines that are not text are refused")
    #expect(many.filter { $0.compiled != nil }.count >= 600)
  }

  @Test func projectTablesAndHeaderProblemsGoTheFullWay() throws {
    let plan = try CompiledPlanTests.plan(Repository.rules + "shenzhen-department-2019.rules")
    let (plain, full, short) = Self.outputs(["被评价单位,没有这一列", "甲,1"], plan: plan)
    #expect(short == 0 && plain == full)
  }
}
