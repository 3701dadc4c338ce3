import Testing

@testable import JixiaoEngine

/// The long explanations behind `jixiao explain CODE`: every code has one, in the agreed shape.
@Suite struct DiagnosticExplanationTests {
  static let sections = ["含义：", "示例：", "诊断：", "改法："]

  /// Scoring-time checks that a static check makes unreachable for rules that pass `jixiao check`:
  /// their explanation shows the static diagnostic a user actually meets.
  static let preventedBy: [DiagnosticCode: DiagnosticCode] = [
    .divisionByZero: .divisionMayBeZero, .scoreOutOfRange: .scoreMayExceed, .noBandMatched: .bandGap,
  ]

  @Test(arguments: DiagnosticCode.allCases)
  func startsWithCodeAndTitle(_ code: DiagnosticCode) {
    #expect(code.explanation.hasPrefix("\(code.rawValue) \(code.title)\n\n"))
  }

  @Test(arguments: DiagnosticCode.allCases)
  func hasEverySectionInOrder(_ code: DiagnosticCode) throws {
    let text = code.explanation
    var previous = text.startIndex
    for section in Self.sections {
      let range = try #require(text.range(of: "\n" + section), "\(code.rawValue) 缺少“\(section)”")
      #expect(range.lowerBound >= previous, "\(code.rawValue) 的“\(section)”次序不对")
      previous = range.upperBound
      // Each section heading starts exactly one line.
      let headings = text.split(separator: "\n").filter { $0.hasPrefix(section) }
      #expect(headings.count == 1, "\(code.rawValue) 的“\(section)”不是恰好一处")
    }
  }

  /// The diagnostic shown is one of this code's own, with the severity its letter stands for.
  @Test(arguments: DiagnosticCode.allCases)
  func showsItsOwnDiagnostic(_ code: DiagnosticCode) throws {
    let text = code.explanation
    let diagnostic = try #require(section("诊断：", of: text))
    let shown = Self.preventedBy[code] ?? code
    let severity = shown.rawValue.hasPrefix("W") ? "警告" : "错误"
    // Hints under a diagnostic (“= …”) are checked against what it prints, by the example tests.
    let lines = diagnostic.split(separator: "\n").map { $0.trimmed(of: " ") }.filter {
      !$0.isEmpty && !$0.hasPrefix("= ")
    }
    #expect(!lines.isEmpty)
    for line in lines {
      #expect(line.contains(": \(severity)[\(shown.rawValue)]: "), "\(code.rawValue)：\(line)")
      // A relative path as a user would type it, not a temporary directory.
      #expect(line.hasPrefix("Rules/") || line.hasPrefix("Examples/"), "\(code.rawValue)：\(line)")
    }
  }

  @Test(arguments: DiagnosticCode.allCases)
  func sectionsHaveContent(_ code: DiagnosticCode) throws {
    let text = code.explanation
    for name in Self.sections {
      let content = try #require(section(name, of: text))
      #expect(content.trimmed(of: " \n").count >= 10, "\(code.rawValue) 的“\(name)”几乎是空的")
    }
  }

  @Test func everyCodeHasItsOwnExplanation() {
    let all = DiagnosticCode.allCases
    #expect(Set(all.map(\.explanation)).count == all.count)
    for code in all {
      let others = all.filter { $0 != (Self.preventedBy[code] ?? code) }.map { "[\($0.rawValue)]" }
      let diagnostic = section("诊断：", of: code.explanation) ?? ""
      #expect(!others.contains { diagnostic.contains($0) }, "\(code.rawValue) 的诊断中有别的代码")
    }
  }

  /// Where the example is a whole rule file, checking it gives exactly the diagnostics quoted.
  /// (Data examples need a rule file besides; an example shortened with “…” cannot be run.)
  @Test(arguments: DiagnosticCode.allCases)
  func ruleExampleGivesTheQuotedDiagnostics(_ code: DiagnosticCode) throws {
    let example = try #require(section("示例：", of: code.explanation))
    let lines = example.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let indent = lines.first { !$0.trimmed(of: " ").isEmpty }?.prefix { $0 == " " }.count ?? 0
    let text = lines.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }
      .joined(separator: "\n").trimmed(of: "\n")
    guard text.hasPrefix("规则集"), !text.contains("…") else { return }
    let quoted = try #require(section("诊断：", of: code.explanation)).split(separator: "\n")
      .map { $0.trimmed(of: " ") }.filter { $0.hasPrefix("Rules/") }
    let path = String(try #require(quoted.first?.split(separator: ":").first))
    let diagnostics = Compiler.compile(SourceFile(path: path, text: text + "\n")).diagnostics
    let printed = diagnostics.map {
      "\(path):\($0.span.start.line):\($0.span.start.column): \($0.severity.chinese)[\($0.code.rawValue)]: \($0.message)"
    }
    #expect(printed == quoted)
    Self.expectQuotedHintsArePrinted(code, diagnostics)
  }

  /// Where the example is a data file, scoring it gives exactly the diagnostics quoted. The rules
  /// are the example's own rule file when it shows one, a shipped rule file it names, or else the
  /// small example at the head of the language guide, as the explanations say.
  /// Found by `jixiao check` itself, not by the engine: CommandsTests runs their examples.
  static let foundByCommand: Set<DiagnosticCode> = [.rulesFileNotFound]

  @Test(arguments: DiagnosticCode.allCases)
  func dataExampleGivesTheQuotedDiagnostics(_ code: DiagnosticCode) throws {
    let example = try #require(section("示例：", of: code.explanation))
    guard example.contains("\"subject\""), !Self.foundByCommand.contains(code) else { return }
    let files = Self.exampleFiles(example)
    let data = try #require(files.first { $0.path.hasSuffix(".json") })
    let rules: (path: String, text: String)
    if let own = files.first(where: { $0.path.hasSuffix(".rules") }) {
      rules = own
    } else if let named = Repository.shippedRuleFiles.first(where: { example.contains("Rules/" + $0) }) {
      rules = ("Rules/" + named, try readText(Repository.rules + named))
    } else {
      rules = ("Rules/示例.rules", try Self.guideExample())
    }
    let plan = try #require(Compiler.compile(SourceFile(path: rules.path, text: rules.text)).plan)
    let diagnostics = Compiler.score(SourceFile(path: data.path, text: data.text), with: plan).diagnostics
    let printed = diagnostics.map {
      "\($0.span.file):\($0.span.start.line):\($0.span.start.column): \($0.severity.chinese)[\($0.code.rawValue)]: \($0.message)"
    }
    let quoted = try #require(section("诊断：", of: code.explanation)).split(separator: "\n")
      .map { $0.trimmed(of: " ") }.filter { $0.hasPrefix("Rules/") || $0.hasPrefix("Examples/") }
    #expect(printed == quoted)
    Self.expectQuotedHintsArePrinted(code, diagnostics)
  }

  /// A hint quoted under a diagnostic (a line “= …”) is one that diagnostic really prints: an
  /// explanation must not promise help the user will not see.
  static func expectQuotedHintsArePrinted(_ code: DiagnosticCode, _ diagnostics: [Diagnostic]) {
    let text = code.explanation
    guard let start = text.range(of: "\n诊断："), let end = text.range(of: "\n改法：") else { return }
    var current = -1
    for line in text[start.upperBound..<end.lowerBound].split(separator: "\n").map({ $0.trimmed(of: " ") }) {
      if line.hasPrefix("Rules/") || line.hasPrefix("Examples/") { current += 1 }
      guard line.hasPrefix("= ") else { continue }
      let notes = current >= 0 && current < diagnostics.count ? diagnostics[current].notes : []
      #expect(notes.contains(String(line.dropFirst(2))), "\(code.rawValue)：\(line) 不在 \(notes)")
    }
  }

  /// The files an example shows: “Rules/x.rules：” or “Examples/y.json：” above an indented text,
  /// or one JSON object on its own, taken to be Examples/示例.json.
  static func exampleFiles(_ example: String) -> [(path: String, text: String)] {
    var files: [(path: String, lines: [String])] = []
    for line in example.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      let trimmed = line.trimmed(of: " ")
      if (trimmed.hasPrefix("Rules/") || trimmed.hasPrefix("Examples/")) && trimmed.hasSuffix("：") {
        files.append((String(trimmed.dropLast()), []))
      } else if trimmed == "{" && (files.isEmpty || files[files.count - 1].lines.last?.trimmed(of: " ") == "}") {
        files.append(("Examples/示例.json", [line]))
      } else if !files.isEmpty && (line.hasPrefix("    ") || trimmed.isEmpty) {
        files[files.count - 1].lines.append(line)
      }
    }
    return files.map { file in
      let indent = file.lines.first { !$0.trimmed(of: " ").isEmpty }?.prefix { $0 == " " }.count ?? 0
      let text = file.lines.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }
        .joined(separator: "\n").trimmed(of: "\n")
      return (file.path, text + "\n")
    }
  }

  /// The first rule file in Rules/README.md, the small example the data explanations score against.
  static func guideExample() throws -> String {
    let guide = try readText(Repository.rules + "README.md")
    let start = try #require(guide.range(of: "## 一个完整的小例子"))
    let fence = try #require(guide.range(of: "```", range: start.upperBound..<guide.endIndex))
    let body = try #require(guide.range(of: "\n", range: fence.upperBound..<guide.endIndex))
    let end = try #require(guide.range(of: "```", range: body.upperBound..<guide.endIndex))
    return String(guide[body.upperBound..<end.lowerBound])
  }

  /// The guide's opening example is what editors copy first: it checks clean and is formatted.
  @Test func guideExampleIsCleanAndFormatted() throws {
    let text = try Self.guideExample()
    let compiled = Compiler.compile(SourceFile(path: "示例.rules", text: text))
    #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.map(\.message))")
    #expect(try JixiaoEngine.Formatter.format(SourceFile(path: "示例.rules", text: text)).get() == text)
  }

  @Test func textIsTidy() {
    for code in DiagnosticCode.allCases {
      let text = code.explanation
      #expect(!text.hasSuffix("\n"))
      #expect(!text.contains("\t"))
      #expect(!text.contains("/tmp/"))
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        #expect(line.last != " ", "\(code.rawValue) 有行尾空格：\(line)")
      }
    }
  }

  /// The text of a section: from after its heading to the next heading or the end.
  private func section(_ name: String, of text: String) -> String? {
    guard let start = text.range(of: "\n" + name) ?? (text.hasPrefix(name) ? text.range(of: name) : nil) else {
      return nil
    }
    let rest = text[start.upperBound...]
    let end =
      Self.sections.compactMap { other in other == name ? nil : rest.range(of: "\n" + other)?.lowerBound }.min()
      ?? rest.endIndex
    return String(rest[..<end])
  }
}

extension StringProtocol {
  /// Without the given characters at either end.
  fileprivate func trimmed(of characters: String) -> String {
    String(String(drop { characters.contains($0) }.reversed()).drop { characters.contains($0) }.reversed())
  }
}
