import Testing

@testable import JixiaoEngine

/// The smaller defects issue 10 found on the way, each kept by a case.
@Suite struct SmallDefectsTests {
  @Test func manyNestingErrorsDoNotLeakIntoTheNextIndicator() {
    let deep = String(repeating: "（", count: 70) + "1" + String(repeating: "）", count: 70)
    let lines = (0..<70).map { "  设 深\($0) = \(deep)" }
    let text = "规则集 \"深\" {\n  满分 1\n" + lines.joined(separator: "\n") + "\n  指标 甲 1 { 得分 = 1 }\n}\n"
    let diagnostics = Parser.parse(SourceFile(path: "d.rules", text: text)).diagnostics
    #expect(diagnostics.count == 70)
    #expect(diagnostics.allSatisfy { $0.code == .nestingTooDeep && $0.span.start.line <= 72 })
  }

  @Test func carriageReturnsAloneEndLines() {
    let text = "# 旧式换行\r规则集 \"甲\" {\r  满分 1\r  指标 甲 1 { 得分 = 1 }\r}\r"
    let source = SourceFile(path: "cr.rules", text: text)
    let compiled = Compiler.compile(source)
    #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.map(\.message))")
    #expect(compiled.plan != nil)
    #expect(source.line(3) == "  满分 1")
  }

  @Test func aControlCharacterInARuleStringIsReported() throws {
    let text = "规则集 \"甲\" {\n  满分 1\n  指标 甲 1 { 说明 \"a\u{0}b\" 得分 = 1 }\n}\n"
    let diagnostics = Parser.parse(SourceFile(path: "nul.rules", text: text)).diagnostics
    let found = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(found.code == .unknownCharacter)
    #expect(found.message == "字符串中有控制字符“U+0000（不可见字符）”")
    #expect(found.span.start.line == 3 && found.span.start.column == 17)
  }
}
