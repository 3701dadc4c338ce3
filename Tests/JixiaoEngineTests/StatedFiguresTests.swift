import Testing

@testable import JixiaoEngine

/// Figures a report prints for values the rules compute (stated), and the basis (口径) it gives.
@Suite struct StatedFiguresTests {
  static let rules = testRuleset(
    """
      指标 编外人员控制 5 {
        输入 编外人员数：数量 "编外人员数"
        输入 在编人数：数量 "在编人数"
        设 编外人员控制率 = 如果 在编人数 = 0 则 0% 否则 编外人员数 ÷ 在编人数
        得分 = 分档 编外人员控制率 { < 5% → 5；[5%, 10%] → 2.5；> 10% → 0 }
      }
      指标 政府采购 5 {
        输入 采购计划金额：金额（万元） "政府采购计划金额"
        输入 实际采购金额：金额（万元） "实际政府采购金额"
        设 政府采购执行率 = 如果 采购计划金额 = 0 则 100% 否则 实际采购金额 ÷ 采购计划金额
        得分 = 如果 政府采购执行率 > 100% 则 0 否则 政府采购执行率 × 5
      }
    """)

  static func score(_ data: String) throws -> (ScoreSheet?, [Diagnostic]) {
    let plan = try #require(Compiler.compile(SourceFile(path: "t.rules", text: rules)).plan)
    return Compiler.score(SourceFile(path: "d.json", text: data), with: plan)
  }

  static let inputs = #""inputs": {"编外人员数": 1, "在编人数": 20, "采购计划金额": 100, "实际采购金额": 90}"#

  @Test func statedFiguresAreCheckedAgainstTheirFormula() throws {
    let (sheet, diagnostics) = try Self.score(
      #"{"subject": "单位", \#(Self.inputs), "stated": {"编外人员控制率": "10.84%", "政府采购执行率": {"value": "98.5%", "basis": "不含政府投资项目 10,639.27 万元"}}}"#
    )
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    // Scores come from the computation, never from the stated figure: 5% is in [5%, 10%].
    #expect(sheet?.rows.first { $0.name == "编外人员控制" }?.score?.description == "2.5")
    #expect(sheet?.rows.first { $0.name == "政府采购" }?.score?.description == "4.5")
    let found = try #require(sheet?.inconsistencies)
    #expect(found.count == 2)
    #expect(
      found.first?.message
        == "“编外人员控制率”报告为 10.84%，按 如果 在编人数 = 0 则 0% 否则 编外人员数 ÷ 在编人数 = （在编人数 = 0 为否 ⇒ 1 ÷ 20） 算得 5%；报告未注明口径，属计算上的不一致"
    )
    #expect(found.first?.basis == nil)
    #expect(found.last?.basis == "不含政府投资项目 10,639.27 万元")
    #expect(found.last?.message.hasSuffix("算得 90%；报告注明口径“不含政府投资项目 10,639.27 万元”，差异可能出自口径不同") == true)
    // The basis is shown beside the score it concerns.
    #expect(
      sheet?.rows.first { $0.name == "政府采购" }?.reasons == ["口径：报告的“政府采购执行率”为 98.5%，不含政府投资项目 10,639.27 万元"])
  }

  @Test func aStatedFigureThatAgreesIsNoInconsistency() throws {
    let (sheet, diagnostics) = try Self.score(#"{"subject": "单位", \#(Self.inputs), "stated": {"编外人员控制率": "5%"}}"#)
    #expect(diagnostics.isEmpty)
    #expect(sheet?.inconsistencies.isEmpty == true)
  }

  @Test func computedFiguresInInputsPointToStated() throws {
    let (_, diagnostics) = try Self.score(
      #"{"subject": "单位", "inputs": {"编外人员数": 1, "在编人数": 20, "采购计划金额": 100, "实际采购金额": 90, "编外人员控制率": "5%"}}"#
    )
    #expect(diagnostics.map(\.code) == [.unknownInput])
    #expect(diagnostics.first?.notes.contains { $0.hasPrefix("报告写出了这个数的，请写在 \"stated\" 中") } == true)
    let (_, misplaced) = try Self.score(#"{"subject": "单位", \#(Self.inputs), "stated": {"在编人数": 20}}"#)
    #expect(misplaced.first?.notes == ["“在编人数”是输入，请直接写在 \"inputs\" 中"])
  }

  @Test func inputsCarryABasisToo() throws {
    let (sheet, diagnostics) = try Self.score(
      #"{"subject": "单位", "inputs": {"编外人员数": 1, "在编人数": {"value": 20, "basis": "含借调人员 2 人"}, "采购计划金额": 100, "实际采购金额": 90}}"#
    )
    #expect(diagnostics.isEmpty)
    #expect(sheet?.rows.first { $0.name == "编外人员控制" }?.reasons == ["口径：报告的“在编人数”为 20，含借调人员 2 人"])
  }
}
