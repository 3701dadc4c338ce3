import JixiaoEngine

/// Hand-written scorers of `Rules/shenzhen-department-2019.rules`, the yardstick of `jixiao bench`:
/// what a programmer would write for this one standard, in exact decimals and in Double. They
/// read their inputs from decoded data once, outside the timing, and are checked against the plan.
struct Shenzhen2019: Sendable {
  static let rulesetName = "深圳市部门整体支出绩效评价（2019年修订）"

  var flags: [Bool] = []  // the 是否 inputs, by `flagNames`
  var numbers: [ExactDecimal] = []  // the number inputs, by `numberNames`
  var budgetPublished = 0, accountsPublished = 0  // 0 按规定公开, 1 公开但有缺陷, 2 未公开
  var quarterSpending: [ExactDecimal] = []

  static let flagNames = [
    "编制符合职责和政策", "资金按重点合理分配", "专项资金编制细化合理", "分类准确无频繁调剂", "预算分配不固化",  // 0–4
    "指标细化对应年度任务", "包含效益指标", "指标值清晰可衡量", "包含可量化指标", "目标值测算有依据",  // 5–9
    "无违规支出", "涉密单位", "项目设立调整按规定报批", "项目实施执行制度", "资金管理和绩效监控机制有效",  // 10–14
    "主管资金检查监控有效", "能提供检查监督证明材料", "主管专项资金评价为差", "资产配置合理账实相符", "资产处置规范收入上缴",  // 15–19
    "制定资金财务内控制度", "制度得到有效执行", "制定预算绩效管理制度", "建立群众意见反映渠道",  // 20–23
  ]
  static let numberNames = [
    "预算编制不符合项数", "不符合要求的绩效目标数", "实际政府采购金额", "政府采购计划金额", "政府采购政策功能落实",  // 0–4
    "资金支出规范性", "会计核算规范性", "年初预算数", "调整后预算数", "在用固定资产总额",  // 5–9
    "固定资产总额", "在编人数", "核定编制数", "编外人员数", "三公经费预算数",  // 10–14
    "三公经费实际支出数", "日常公用经费调整预算数", "日常公用经费决算数", "未完成重点工作数", "计划完成项目数",  // 15–19
    "已完成项目数", "效果性评分", "信访件数", "信访办理回复件数", "信访及时回复件数", "公众满意度",  // 20–25
  ]

  /// The inputs of a decoded department; nil when one is missing or the rules are another set.
  init?(_ data: DepartmentData, plan: EvaluationPlan) {
    let cells = plan.program.cells
    func given(_ name: String) -> Value? {
      guard let index = cells.firstIndex(where: { $0.name == name }) else { return nil }
      return data.given[index]?.value
    }
    for name in Self.flagNames {
      switch given(name) {
      case .boolean(let truth)?: flags.append(truth)
      case nil where name == "涉密单位" || name == "主管专项资金评价为差": flags.append(false)
      default: return nil
      }
    }
    for name in Self.numberNames {
      guard case .number(let number)? = given(name) else { return nil }
      numbers.append(number)
    }
    let tiers = ["按规定公开", "公开但有缺陷", "未公开"]
    guard case .text(let budget)? = given("部门预算公开"), case .text(let accounts)? = given("部门决算公开"),
      case .list(let spending)? = given("季度累计支出")
    else { return nil }
    budgetPublished = tiers.firstIndex(of: budget) ?? 2
    accountsPublished = tiers.firstIndex(of: accounts) ?? 2
    quarterSpending = spending.compactMap { if case .number(let n) = $0 { n } else { nil } }
  }

  /// The total in exact decimals: each leaf rounded half-up to 2 places, then added.
  func exactTotal() -> ExactDecimal { (try? exactSum()) ?? .zero }

  private func exactSum() throws(ArithmeticError) -> ExactDecimal {
    let n = numbers
    func d(_ value: Int) -> ExactDecimal { ExactDecimal(value) }
    func hundredths(_ value: Int) -> ExactDecimal { ExactDecimal(units: Int128(value) * 10_000_000_000_000_000) }
    func points(_ items: [(Int, ExactDecimal)]) throws(ArithmeticError) -> ExactDecimal {
      var sum = ExactDecimal.zero
      for (flag, value) in items where flags[flag] { sum = try sum.adding(value) }
      return sum
    }
    func floorAtZero(_ value: ExactDecimal) -> ExactDecimal { value.isNegative ? .zero : value }
    let one = ExactDecimal.one
    var total = ExactDecimal.zero
    func add(_ leaf: ExactDecimal) throws(ArithmeticError) { total = try total.adding(leaf.rounded(places: 2)) }
    try add(points((0...4).map { ($0, one) }))
    try add(floorAtZero(try d(5).subtracting(n[0])))
    try add(floorAtZero(try d(8).subtracting(n[1])))
    try add(points([(5, d(2)), (6, d(2)), (7, one), (8, one), (9, one)]))
    let procurement: ExactDecimal =
      n[2] > n[3] ? .zero : n[3].isZero ? one : min(try n[2].divided(by: n[3]), one)
    try add(procurement.adding(n[4]))
    let adjustment = n[8].isZero ? .zero : try n[8].subtracting(n[7]).magnitude().divided(by: n[8])
    let tenth = hundredths(10)
    let adjustmentScore =
      adjustment <= tenth
      ? one : floorAtZero(try one.subtracting(try adjustment.subtracting(tenth).multiplied(by: d(10))))
    try add(flags[10] ? try n[5].adding(adjustmentScore).adding(n[6]) : .zero)
    let tiers = [hundredths(150), one, .zero]
    try add(flags[11] ? d(3) : try tiers[budgetPublished].adding(tiers[accountsPublished]))
    try add(points([(12, one), (13, one)]))
    try add(points([(14, one)]).adding(flags[15] && flags[16] && !flags[17] ? one : .zero))
    try add(points([(18, one), (19, one)]))
    let usage = n[10].isZero ? one : try n[9].divided(by: n[10])
    try add(
      usage >= hundredths(90)
        ? one : usage >= hundredths(75) ? hundredths(70) : usage >= hundredths(60) ? hundredths(40) : .zero)
    try add(n[12].isZero ? (n[11].isZero ? one : .zero) : (try n[11].divided(by: n[12])) <= one ? one : .zero)
    let outside = n[13].isZero ? .zero : try n[13].divided(by: n[11].adding(n[13]))
    try add(outside < hundredths(5) ? one : outside <= hundredths(10) ? hundredths(50) : .zero)
    try add(points([(20, hundredths(50)), (21, hundredths(150)), (22, one)]))
    func control(_ budget: ExactDecimal, _ spent: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
      if budget.isZero { return spent.isZero ? d(3) : .zero }
      let rate = try spent.divided(by: budget)
      return rate < hundredths(90) ? d(3) : rate <= one ? d(2) : .zero
    }
    try add(control(n[14], n[15]).adding(try control(n[16], n[17])))
    var execution = ExactDecimal.zero
    var rates = ExactDecimal.zero
    for (quarter, spent) in quarterSpending.enumerated() {
      let progress = n[8].isZero ? .zero : try spent.divided(by: n[8])
      let rate = try progress.divided(by: hundredths(25 * (quarter + 1)))
      execution = try execution.adding(min(rate, one))
      rates = try rates.adding(rate)
    }
    try add(execution.adding(min(try rates.divided(by: d(4)).multiplied(by: d(2)), d(2))))
    try add(floorAtZero(try d(8).subtracting(try d(4).multiplied(by: n[18]))))
    try add(n[20] >= n[19] ? d(6) : try min(try n[20].divided(by: n[19]), one).multiplied(by: d(6)))
    try add(n[21])
    let petitions = n[22]
    try add(
      try points([(23, one)]).adding(petitions.isZero || n[23] >= petitions ? one : .zero)
        .adding(petitions.isZero || n[24] >= petitions ? one : .zero))
    let satisfaction = n[25]
    try add(
      satisfaction >= hundredths(95)
        ? d(6) : satisfaction >= hundredths(90) ? d(4) : satisfaction >= hundredths(80) ? d(2) : one)
    return total
  }

  /// The same standard in binary floating point, as a quick spreadsheet-style program would be.
  struct Doubles: Sendable {
    var flags: [Bool]
    var n: [Double]
    var budgetPublished: Int, accountsPublished: Int
    var quarterSpending: [Double]

    init(_ exact: Shenzhen2019) {
      flags = exact.flags
      n = exact.numbers.map { Double($0.description) ?? 0 }
      budgetPublished = exact.budgetPublished
      accountsPublished = exact.accountsPublished
      quarterSpending = exact.quarterSpending.map { Double($0.description) ?? 0 }
    }

    func total() -> Double {
      func round2(_ value: Double) -> Double { (value * 100).rounded(.toNearestOrAwayFromZero) / 100 }
      func on(_ flag: Int, _ value: Double) -> Double { flags[flag] ? value : 0 }
      func control(_ budget: Double, _ spent: Double) -> Double {
        if budget == 0 { return spent == 0 ? 3 : 0 }
        let rate = spent / budget
        return rate < 0.9 ? 3 : rate <= 1 ? 2 : 0
      }
      var total = 0.0
      func add(_ leaf: Double) { total += round2(leaf) }
      add((0...4).reduce(0) { $0 + on($1, 1) })
      add(max(5 - n[0], 0))
      add(max(8 - n[1], 0))
      add(on(5, 2) + on(6, 2) + on(7, 1) + on(8, 1) + on(9, 1))
      add((n[2] > n[3] ? 0 : n[3] == 0 ? 1 : min(n[2] / n[3], 1)) + n[4])
      let adjustment = n[8] == 0 ? 0 : abs(n[8] - n[7]) / n[8]
      let adjustmentScore = adjustment <= 0.1 ? 1 : max(1 - (adjustment - 0.1) / 0.01 * 0.1, 0)
      add(flags[10] ? n[5] + adjustmentScore + n[6] : 0)
      let tiers = [1.5, 1, 0]
      add(flags[11] ? 3 : tiers[budgetPublished] + tiers[accountsPublished])
      add(on(12, 1) + on(13, 1))
      add(on(14, 1) + (flags[15] && flags[16] && !flags[17] ? 1 : 0))
      add(on(18, 1) + on(19, 1))
      let usage = n[10] == 0 ? 1 : n[9] / n[10]
      add(usage >= 0.9 ? 1 : usage >= 0.75 ? 0.7 : usage >= 0.6 ? 0.4 : 0)
      add(n[12] == 0 ? (n[11] == 0 ? 1 : 0) : n[11] / n[12] <= 1 ? 1 : 0)
      let outside = n[13] == 0 ? 0 : n[13] / (n[11] + n[13])
      add(outside < 0.05 ? 1 : outside <= 0.1 ? 0.5 : 0)
      add(on(20, 0.5) + on(21, 1.5) + on(22, 1))
      add(control(n[14], n[15]) + control(n[16], n[17]))
      var execution = 0.0
      var rates = 0.0
      for (quarter, spent) in quarterSpending.enumerated() {
        let rate = (n[8] == 0 ? 0 : spent / n[8]) / (0.25 * Double(quarter + 1))
        execution += min(rate, 1)
        rates += rate
      }
      add(execution + min(rates / 4 * 2, 2))
      add(max(8 - 4 * n[18], 0))
      add(n[20] >= n[19] ? 6 : min(n[20] / n[19], 1) * 6)
      add(n[21])
      add(on(23, 1) + (n[22] == 0 || n[23] >= n[22] ? 1 : 0) + (n[22] == 0 || n[24] >= n[22] ? 1 : 0))
      add(n[25] >= 0.95 ? 6 : n[25] >= 0.9 ? 4 : n[25] >= 0.8 ? 2 : 1)
      return total
    }
  }
}
