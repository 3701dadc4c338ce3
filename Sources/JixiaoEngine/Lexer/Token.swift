public enum Keyword: String, Sendable, CaseIterable {
  case ruleset, fullMarks, precision, grades, input, assess, letBinding, indicator
  case description, standard, score, ifKeyword, thenKeyword, elseKeyword
  case and, or, not, bands, checklist, defaultKeyword, yes, no, test, expect
  case rows, rowScoring, method, choose, synonyms, failing, conversions

  /// Every spelling of the keyword: Chinese first, then English.
  public var spellings: [String] {
    switch self {
    case .ruleset: ["规则集", "ruleset"]
    case .fullMarks: ["满分", "full_marks"]
    case .precision: ["精度", "precision"]
    case .grades: ["等级", "grades"]
    case .input: ["输入", "input"]
    case .assess: ["评审", "assess"]
    case .letBinding: ["设", "let"]
    case .indicator: ["指标", "indicator"]
    case .description: ["说明", "description"]
    case .standard: ["标准", "standard"]
    case .score: ["得分", "score"]
    case .ifKeyword: ["如果", "if"]
    case .thenKeyword: ["则", "then"]
    case .elseKeyword: ["否则", "else"]
    case .and: ["且", "and"]
    case .or: ["或", "or"]
    case .not: ["非", "not"]
    case .bands: ["分档", "bands"]
    case .checklist: ["清单", "checklist"]
    case .defaultKeyword: ["缺省", "default"]
    case .yes: ["是", "true"]
    case .no: ["否", "false"]
    case .test: ["测试", "test"]
    case .expect: ["期望", "expect"]
    case .rows: ["逐行", "rows"]
    case .rowScoring: ["行评分", "row_scoring"]
    case .method: ["方法", "method"]
    case .choose: ["选用", "choose"]
    case .synonyms: ["同义", "synonyms"]
    case .failing: ["未达成", "failing"]
    case .conversions: ["换算", "conversions"]
    }
  }

  public var chinese: String { spellings[0] }

  static let bySpelling: [String: Keyword] = {
    var table: [String: Keyword] = [:]
    for keyword in Keyword.allCases {
      for spelling in keyword.spellings { table[spelling] = keyword }
    }
    return table
  }()
}

public enum Symbol: String, Sendable, Hashable {
  case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
  case leftBrace = "{", rightBrace = "}", comma = ",", semicolon = ";", colon = ":"
  case plus = "+", minus = "-", times = "×", divide = "÷"
  case equal = "=", notEqual = "≠", less = "<", lessEqual = "≤", greater = ">", greaterEqual = "≥"
  case arrow = "→", range = ".."
}

public enum TokenKind: Sendable, Hashable {
  case name(String)
  case keyword(Keyword)
  /// Digits as written without thousands separators; `percent` when followed by %.
  case number(String, percent: Bool)
  case string(String)
  /// 2024-06-30 or 2024年6月30日, not yet checked to be a real day.
  case date(year: Int, month: Int, day: Int)
  case symbol(Symbol)
  case endOfFile
}

public struct Token: Sendable, Equatable {
  public var kind: TokenKind
  public var start: Int
  public var end: Int
  /// The exact source text, for messages and for the formatter.
  public var text: String
}

/// A comment (`#` or `//` to the end of the line), which the parser never sees; kept only by
/// `Lexer.tokenize(_:keepComments:)` for the formatter. `text` runs from the `#` or `//` to the
/// end of the line, without the line break.
public struct CommentTrivia: Sendable, Equatable {
  public var start: Int
  public var end: Int
  public var text: String
}
