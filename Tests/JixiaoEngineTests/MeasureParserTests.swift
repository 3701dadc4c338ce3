import Testing

@testable import JixiaoEngine

/// The 年度指标值 and 实际完成值 forms found in the Luohu 2023 tables.
@Suite struct MeasureParserTests {
  static func quantity(_ text: String) -> Measure? {
    if case .quantity(let measure) = MeasureParser.parse(text) { return measure }
    return nil
  }

  @Test(arguments: [
    ("≥100人次", Measure.Comparator.atLeast, "100", "人次"), ("≥5台", .atLeast, "5", "台"),
    ("≤2小时", .atMost, "2", "小时"), ("≥14GB", .atLeast, "14", "GB"), ("≤0.5dB/km", .atMost, "0.5", "dB/km"),
    ("≥1200万条", .atLeast, "12000000", "条"), ("≥5Gbps", .atLeast, "5", "Gbps"), ("≥95%", .atLeast, "0.95", "%"),
    (">=3台", .atLeast, "3", "台"), ("＜１０个", .less, "10", "个"), ("=4", .equal, "4", ""),
    ("≥4批次", .atLeast, "4", "批次"), ("≥1,200个", .atLeast, "1200", "个"),
  ])
  func comparedQuantities(text: String, comparator: Measure.Comparator, value: String, unit: String) {
    let measure = Self.quantity(text)
    #expect(measure?.comparator == comparator)
    #expect(measure?.value.description == value)
    #expect(measure?.unit == unit)
  }

  @Test(arguments: [
    ("169", "169", ""), ("0台", "0", "台"), ("6人", "6", "人"), ("100%", "1", "%"), ("86.25%", "0.8625", "%"),
    ("1亿条", "100000000", "条"), ("1 份", "1", "份"), ("18,779.46万元", "18779.46", "万元"), ("5年", "5", "年"),
  ])
  func bareQuantities(text: String, value: String, unit: String) {
    let measure = Self.quantity(text)
    #expect(measure?.comparator == nil)
    #expect(measure?.value.description == value)
    #expect(measure?.unit == unit)
  }

  @Test func labelBeforeComparator() {
    let measure = Self.quantity("离职率≤20%")
    #expect(measure?.label == "离职率")
    #expect(measure?.comparator == .atMost)
    #expect(measure?.value.description == "0.2")
  }

  @Test(arguments: [
    "满足", "有效提供", "7X24小时的故障服务受理", "7×24小时的故障服务受理", "30分钟内响应", "3年的免费保修服务",
    "一个月内", "合同总价=审定金额*0.96", "经区政府概算审核部门审核", "≥", "≥abc", "12个月以上", "12abc3", "1.2.3个",
  ])
  func qualitativeTexts(text: String) {
    #expect(MeasureParser.parse(text) == .text(MeasureParser.normalized(text)))
  }

  /// Any counter word of one or two CJK characters, or a Latin unit, is a unit; not a fixed list.
  @Test(arguments: [("5类", "类"), ("6艘", "艘"), ("3路", "路"), ("2种", "种"), ("12期", "期"), ("3个月", "个月"), ("20km", "km")])
  func counterWordsAreUnits(text: String, unit: String) {
    #expect(Self.quantity(text)?.unit == unit)
  }

  @Test func notApplicableAndEmpty() {
    for word in ["不适用", "/", "—", "无", "－"] { #expect(MeasureParser.parse(word) == .notApplicable, "\(word)") }
    #expect(MeasureParser.parse("不适用") == .notApplicable)
    #expect(MeasureParser.parse("  ") == .empty)
  }

  @Test func normalizationFoldsWidthAndSpaces() {
    #expect(MeasureParser.normalized("７×２４ 小时") == "7×24小时")
    #expect(MeasureParser.normalized("≥ 90 %") == "≥90%")
  }
}
