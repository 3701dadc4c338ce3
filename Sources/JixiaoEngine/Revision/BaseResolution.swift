/// Finds the chain of files a revision is based on (基于): each path is taken relative to the
/// file that names it and may not leave that file's folder; a missing file or a cycle is a
/// diagnostic at the 基于 that names it.
struct BaseResolution {
  /// Reads a rules file by path; nil when it does not exist or cannot be read.
  typealias Loader = (String) -> SourceFile?

  static let maximumDepth = 16

  /// The bases from the nearest to the oldest, with their syntax.
  var chain: [(source: SourceFile, syntax: RulesFileSyntax)] = []
  var diagnostics: [Diagnostic] = []

  init(from source: SourceFile, syntax: RulesFileSyntax, load: Loader?) {
    var visited: Set<String> = [BaseResolution.normalized(source.path)]
    var current = (source: source, syntax: syntax)
    while let base = current.syntax.base {
      guard let load else {
        diagnostics.append(Diagnostic(.baseMissing, at: base.span, "这里不能读取基础规则文件“\(base.value)”"))
        return
      }
      guard let path = BaseResolution.resolve(base.value, relativeTo: current.source.path) else {
        diagnostics.append(
          Diagnostic(
            .baseMissing, at: base.span, "基础规则文件“\(base.value)”不在本文件所在的文件夹内",
            notes: ["“基于”的路径从本文件所在的文件夹算起，不能是绝对路径，也不能用 .. 跳出该文件夹"]))
        return
      }
      guard visited.insert(BaseResolution.normalized(path)).inserted else {
        let names = ([source.path] + chain.map(\.source.path) + [path]).joined(separator: " → ")
        diagnostics.append(Diagnostic(.baseCycle, at: base.span, "“基于”形成了循环：\(names)"))
        return
      }
      guard chain.count < BaseResolution.maximumDepth else {
        diagnostics.append(
          Diagnostic(
            .limitExceeded, at: base.span, "“基于”的修订链超过 \(BaseResolution.maximumDepth) 层",
            notes: ["把较早的几年合并成一个完整的规则文件，再在它的基础上修订"]))
        return
      }
      guard let file = load(path) else {
        diagnostics.append(
          Diagnostic(
            .baseMissing, at: base.span, "找不到基础规则文件“\(base.value)”",
            notes: ["按本文件所在的文件夹解析为“\(path)”"]))
        return
      }
      let (parsed, problems) = Parser.parse(file)
      diagnostics += problems
      chain.append((file, parsed))
      current = (file, parsed)
    }
  }

  /// The path of `reference` from the folder of `file`, or nil when it would leave that folder.
  static func resolve(_ reference: String, relativeTo file: String) -> String? {
    guard !reference.hasPrefix("/"), !reference.isEmpty else { return nil }
    var parts: [Substring] = []
    for part in reference.split(separator: "/") {
      switch part {
      case ".": continue
      case "..":
        guard !parts.isEmpty else { return nil }
        parts.removeLast()
      default: parts.append(part)
      }
    }
    let folder = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    let relative = parts.joined(separator: "/")
    return folder.isEmpty ? relative : folder + "/" + relative
  }

  static func normalized(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/") where part != "." {
      if part == "..", let last = parts.last, last != ".." { parts.removeLast() } else { parts.append(part) }
    }
    return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
  }
}
