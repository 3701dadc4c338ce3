/// Departments made up within each input's declared range, for `jixiao bench --synthetic N`:
/// the same seed gives the same records. An input with a 缺省 is left blank so that its default
/// is computed, and every assessment carries a reason, so that every record scores.
public struct SyntheticRecords {
  public let plan: EvaluationPlan
  /// The template's columns that are filled: subject, inputs without a default, reasons.
  public let columns: [BatchColumn]
  private var state: UInt64

  public init(plan: EvaluationPlan, seed: UInt64 = 2019) {
    self.plan = plan
    state = seed
    let cells = plan.program.cells
    columns = BatchColumns.template(for: plan).filter { column in
      switch column.meaning {
      case .subject: true
      case .input(let index, _), .reason(let index): cells[index].expression == nil
      default: false
      }
    }
  }

  /// SplitMix64: small, fast and the same on every platform.
  private mutating func random(_ bound: Int) -> Int {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
  }

  /// The cells of record `number`, one per column, as a table would have them.
  public mutating func next(_ number: Int) -> [String] {
    columns.map { column in
      switch column.meaning {
      case .subject: "合成单位\(number)"
      case .reason: "合成数据"
      case .input(let index, _): value(for: plan.program.cells[index])
      default: ""
      }
    }
  }

  private mutating func value(for cell: Cell) -> String {
    guard let input = cell.input else { return "" }
    switch input.kind {
    case .boolean: return random(4) == 0 ? "否" : "是"
    case .choice(let options): return options[random(options.count)]
    case .date: return "2024-\(1 + random(12))-\(1 + random(28))"
    default: break
    }
    // Hundredths within the declared range, or a plausible one where the range is open.
    let domain = input.numberDomain
    let isCount = input.kind == .count
    let unit = Int128(ExactDecimal.scale)
    let fallback = input.kind == .percent ? ExactDecimal(units: 12 * unit / 10) : ExactDecimal(1000)
    let low = domain.lower ?? .zero
    let high = domain.upper ?? ((try? low.adding(fallback)) ?? fallback)
    let step = isCount ? unit : unit / 100
    let steps = Int((high.units - low.units) / step)
    let value = ExactDecimal(units: low.units + Int128(random(min(steps, 1 << 30) + 1)) * step)
    return input.kind == .percent ? value.percentDescription : value.description
  }

  /// The record as a JSON data file, with the same values.
  public func json(_ cells: [String]) -> String {
    var inputs: [(name: String, text: String)] = []
    var reasons: [Int: String] = [:]
    var lists: [Int: [String]] = [:]
    var subject = ""
    let program = plan.program
    func literal(_ text: String, _ index: Int) -> String {
      program.cells[index].input?.kind == .boolean ? (text == "是" ? "true" : "false") : JSONOutput.quoted(text)
    }
    for (column, text) in zip(columns, cells) {
      switch column.meaning {
      case .subject: subject = text
      case .reason(let index): reasons[index] = text
      case .input(let index, nil): inputs.append((program.cells[index].name, literal(text, index)))
      case .input(let index, _?):
        if lists[index] == nil { inputs.append((program.cells[index].name, "")) }
        lists[index, default: []].append(literal(text, index))
      default: break
      }
    }
    let members = inputs.map { input -> String in
      guard let index = program.cells.firstIndex(where: { $0.name == input.name }) else { return "" }
      let value = lists[index].map { "[" + $0.joined(separator: ", ") + "]" } ?? input.text
      let given = reasons[index].map { "{\"value\": \(value), \"reason\": \(JSONOutput.quoted($0))}" } ?? value
      return JSONOutput.quoted(input.name) + ": " + given
    }
    return "{\"subject\": \(JSONOutput.quoted(subject)), \"inputs\": {" + members.joined(separator: ", ") + "}}"
  }
}
