import Testing

@testable import JixiaoEngine

/// Hostile sizes end in a diagnostic that names the limit, and error recovery reports every
/// error of a long file exactly once (the hostile files of Tests/Fuzz/hostile.py, made small).
@Suite struct InputLimitsTests {
  static func compile(_ text: String) -> CompiledRules { Compiler.compile(SourceFile(path: "h.rules", text: text)) }

  @Test func everyLineWithALexicalAndASyntaxErrorGetsBoth() {
    let lines = (0..<50).map { "  设 ¤ 甲\($0) = = 1" }
    let compiled = Self.compile("规则集 \"错\" {\n  满分 1\n" + lines.joined(separator: "\n") + "\n}\n")
    let codes = compiled.diagnostics.map { "\($0.span.start.line):\($0.code.rawValue)" }
    #expect(codes == (3..<53).flatMap { ["\($0):E001", "\($0):E004"] })
  }

  @Test func pastOneThousandProblemsTheRestAreCounted() throws {
    let lines = Array(repeating: "  设 = 1", count: 1100)
    let compiled = Self.compile("规则集 \"错\" {\n  满分 1\n" + lines.joined(separator: "\n") + "\n}\n")
    #expect(compiled.diagnostics.count == 1001)
    #expect(compiled.diagnostics.prefix(1000).allSatisfy { $0.code == .syntax })
    let last = try #require(compiled.diagnostics.last)
    #expect(last.code == .tooManyDiagnostics)
    #expect(last.severity == .error)
    #expect(last.message == "从这里起还有 100 个问题未列出：每个文件最多列出 1000 个")
    #expect(last.span.start.line == 1003)
  }

  @Test func aRulesetOfMoreIndicatorsThanTheLimitIsNamed() throws {
    let indicators = (0..<4).map { "  指标 指标\($0) 1 { 得分 = 1 }" }
    let text = "规则集 \"大\" {\n  满分 4\n" + indicators.joined(separator: "\n") + "\n}\n"
    let syntax = Parser.parse(SourceFile(path: "h.rules", text: text)).syntax
    #expect(Limits.refuseIndicators(syntax, limit: 4) == nil)
    let refused = try #require(Limits.refuseIndicators(syntax, limit: 3))
    #expect(refused.code == .limitExceeded)
    #expect(refused.message == "规则集有 4 个指标，超过了每个规则集 3 个指标的上限，没有检查")
    #expect(Self.compile(text).diagnostics.isEmpty)
  }

  @Test func aRulesFileLargerThanTheLimitIsNotRead() throws {
    let source = SourceFile(path: "h.rules", text: "规则集 \"大\" { 满分 1 }  # " + String(repeating: "长", count: 40))
    let refused = try #require(Limits.refuseRules(source, limit: 100))
    #expect(refused.message.hasPrefix("规则文件有 0 MB（"))
    #expect(Limits.refuseRules(source, limit: 200) == nil)
  }
}
