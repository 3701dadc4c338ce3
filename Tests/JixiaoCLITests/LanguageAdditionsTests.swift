import Foundation
import Testing

@testable import JixiaoEngine
@testable import jixiao

/// Issue 8's additions together through the real CLI, as CI runs it on a rule folder: rounding
/// toward a whole point, a signed 变动率 with a declared range, a name holding quotation marks and
/// dates, in rules, a test file and a data file.
@Suite struct LanguageAdditionsTests {
  static let rules = """
    规则集 "时效与变动（教学用）" {
      满分 10
      等级 { 优 ≥ 9；良 ≥ 6；差 }

      指标 “三公”经费控制 4 {
        标准 "“三公”经费比上年下降的得 4 分；每上升一个百分点扣 1 分，不足一个百分点的不扣，扣完为止。"
        输入 “三公经费”变动率：百分比（-100%..） "本年“三公”经费比上年的变动率，下降为负"
        得分 = 如果 “三公经费”变动率 ≤ 0% 则 4 否则 保底（4 － 向下取整（“三公经费”变动率 × 100），0）
      }
      指标 资金下达及时性 6 {
        标准 "6月底前全部下达的得 6 分；逾期的每 10 天扣 1 分，不足 10 天按 10 天计，扣完为止。"
        输入 全部下达日期：日期 "资金全部下达的日期"
        设 逾期天数 = 保底（天数（2024年6月30日，全部下达日期），0）
        得分 = 保底（6 － 向上取整（逾期天数 ÷ 10），0）
      }
    }

    """

  static let tests = """
    适用 "时效.rules"

    测试 "下降 12.5% 得 4 分" {
      输入 { “三公经费”变动率 = -12.5%；全部下达日期 = 2024-06-30 }
      期望 “三公”经费控制 = 4
      期望 资金下达及时性 = 6
      期望 总分 = 10
    }
    测试 "上升 2.5 个百分点扣 2 分；7 月 1 日下达逾期 1 天按 10 天计扣 1 分" {
      输入 { “三公经费”变动率 = 2.5%；全部下达日期 = 2024年7月1日 }
      期望 “三公”经费控制 = 2
      期望 资金下达及时性 = 5
    }
    测试 "上升 0%，9 月 30 日下达逾期 92 天扣满 6 分" {
      输入 { “三公经费”变动率 = 0%；全部下达日期 = 2024-09-30 }
      期望 “三公”经费控制 = 4
      期望 资金下达及时性 = 0
    }
    测试 "上升 5% 以上扣完" {
      输入 { “三公经费”变动率 = 7% }
      期望 “三公”经费控制 = 0
    }

    """

  static let data = """
    {
      "rules": "时效.rules",
      "subject": "某区示范单位",
      "inputs": {
        "“三公经费”变动率": "−3.2%",
        "全部下达日期": "2024年7月15日"
      }
    }

    """

  @Test func checkTestFormatAndEvalAcceptTheNewForms() throws {
    let folder = try CommandsTests.folder([
      "时效.rules": Self.rules, "时效.test.rules": Self.tests, "示范.json": Self.data,
    ])
    let check = CommandsTests.run(["check", "--deny-warnings", folder, folder + "示范.json"])
    #expect(check.status == 0, "\(check.err)")
    let test = CommandsTests.run(["test", folder, "--coverage"])
    #expect(test.status == 0, "\(test.out)\(test.err)")
    #expect(test.out.contains("4 passed, 0 failed"))
    let format = CommandsTests.run(["fmt", "--check", folder])
    #expect(format.status == 0, "\(format.out)\(format.err)")
    let eval = CommandsTests.run(["eval", folder + "时效.rules", folder + "示范.json", "--explain"])
    #expect(eval.status == 0, "\(eval.err)")
    // Down 3.2%: full 4; 15 days late rounds up to 2 tens of days: 6 − 2.
    #expect(eval.out.contains("综合评分：8（满分 10）　评分等级：良"), "\(eval.out)")
    #expect(eval.out.contains("天数（2024年6月30日，2024-07-15）"), "\(eval.out)")
  }

  @Test func badValuesAreReportedAgainstTheDeclaration() throws {
    let data = Self.data.replacingOccurrences(of: "−3.2%", with: "-103.2%")
      .replacingOccurrences(of: "2024年7月15日", with: "2024年6月31日")
    let folder = try CommandsTests.folder(["时效.rules": Self.rules, "坏.json": data])
    let check = CommandsTests.run(["check", folder + "坏.json"])
    #expect(check.status == 1)
    CommandsTests.expectLines(
      check.err,
      [
        "\(folder)坏.json:5:18: 错误[E033]: “三公经费”变动率的值 -103.2% 超出规则声明的取值范围 -100%..",
        "\(folder)坏.json:6:15: 错误[E053]: “全部下达日期”的日期“2024年6月31日”不存在：2024 年 6 月只有 30 天",
      ])
  }
}
