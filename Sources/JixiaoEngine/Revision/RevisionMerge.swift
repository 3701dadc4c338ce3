/// A revision (基于 …) applied to the ruleset it is based on: what it states replaces, extends or
/// removes the base's; everything else is inherited. The result is one ruleset, checked exactly
/// like a standalone file, whose spans still point into the file each part was written in.
enum RevisionMerge {
  static func merge(_ revision: RulesetSyntax, onto base: RulesetSyntax) -> (RulesetSyntax, [Diagnostic]) {
    var merger = Merger(tree: base.indicators)
    for removal in revision.removals { merger.remove(removal) }
    merger.apply(revision.indicators, under: nil)
    var merged = base
    merged.name = revision.name
    merged.span = revision.span
    merged.fullMarks = revision.fullMarks ?? base.fullMarks
    merged.precision = revision.precision ?? base.precision
    if let grades = revision.grades {
      merged.grades = grades
      merged.gradesSpan = revision.gradesSpan
    }
    merged.inputs = replacing(base.inputs, with: revision.inputs, name: \.name.value)
    merged.definitions = replacing(base.definitions, with: revision.definitions, name: \.name.value)
    merged.rowScoring = revision.rowScoring ?? base.rowScoring
    if !revision.columnLabels.isEmpty { merged.columnLabels = revision.columnLabels }
    merged.indicators = merger.tree
    merged.unreadDeclarations = base.unreadDeclarations.union(revision.unreadDeclarations)
    merged.hasUnreadMembers = base.hasUnreadMembers || revision.hasUnreadMembers
    merged.removals = []
    return (merged, merger.diagnostics)
  }

  /// Declarations of the revision replace the base's of the same name, in place; new ones follow.
  static func replacing<Item>(_ base: [Item], with revision: [Item], name: (Item) -> String) -> [Item] {
    var result = base
    for item in revision {
      if let index = result.firstIndex(where: { name($0) == name(item) }) {
        result[index] = item
      } else {
        result.append(item)
      }
    }
    return result
  }

  /// The indicator tree being revised, with indicators found by name wherever they stand.
  struct Merger {
    var tree: [IndicatorSyntax]
    var diagnostics: [Diagnostic] = []

    /// The path of child indices to the indicator with this name.
    func find(_ name: String) -> [Int]? {
      var pending: [([Int], [IndicatorSyntax])] = [([], tree)]
      while let (prefix, level) = pending.popLast() {
        for (index, indicator) in level.enumerated() {
          if indicator.name.value == name { return prefix + [index] }
          pending.append((prefix + [index], indicator.children))
        }
      }
      return nil
    }

    var allNames: [String] {
      var names: [String] = []
      var pending = tree
      while let indicator = pending.popLast() {
        names.append(indicator.name.value)
        pending += indicator.children
      }
      return names
    }

    mutating func remove(_ name: Located<String>) {
      guard let path = find(name.value) else {
        let notes = NameSuggestion.closest(to: name.value, among: allNames).map { ["是否指\($0.quotedName)？"] } ?? []
        diagnostics.append(
          Diagnostic(.undefinedName, at: name.span, "基础规则中没有名为\(name.value.quotedName)的指标，无法删除", notes: notes))
        return
      }
      _ = take(at: path)
    }

    /// Removes and returns the indicator at the path.
    mutating func take(at path: [Int]) -> IndicatorSyntax {
      Self.take(at: path[...], from: &tree)
    }

    private static func take(at path: ArraySlice<Int>, from level: inout [IndicatorSyntax]) -> IndicatorSyntax {
      guard let first = path.first else { return level.removeLast() }
      if path.count == 1 { return level.remove(at: first) }
      return take(at: path.dropFirst(), from: &level[first].children)
    }

    private static func insert(
      _ indicator: IndicatorSyntax, under parent: ArraySlice<Int>, into level: inout [IndicatorSyntax],
      at position: Int?
    ) {
      guard let first = parent.first else {
        level.insert(indicator, at: min(position ?? level.count, level.count))
        return
      }
      insert(indicator, under: parent.dropFirst(), into: &level[first].children, at: position)
    }

    /// The revision's indicators written under `parent` (nil: at the top level). One that exists is
    /// revised where it stands, or moved here when the revision writes it under another indicator;
    /// a new one is added here.
    mutating func apply(_ indicators: [IndicatorSyntax], under parent: String?) {
      for written in indicators {
        for removal in written.removals { remove(removal) }
        if let path = find(written.name.value) {
          if let parentPath = parent.flatMap(find), parentPath.starts(with: path) {
            diagnostics.append(
              Diagnostic(
                .syntax, at: written.name.span,
                "不能把指标\(written.name.value.quotedName)移到它自己或它的下级指标\((parent ?? "").quotedName)中",
                notes: ["移动指标时，把它写在新的上级指标里；新的上级不能是它自己的下级"]))
            continue
          }
          let stays = parent == nil || Array(path.dropLast()) == parent.flatMap(find)
          let revised = Self.revise(take(at: path), with: written)
          if stays {
            Self.insert(revised, under: path.dropLast(), into: &tree, at: path.last)
          } else {
            Self.insert(revised, under: (parent.flatMap(find) ?? [])[...], into: &tree, at: nil)
          }
        } else {
          if !written.weightWritten {
            diagnostics.append(
              Diagnostic(
                .syntax, at: written.name.span, "新增的指标\(written.name.value.quotedName)要写分值",
                notes: ["只有修改基础规则中已有的指标时才能省略分值"]))
          }
          var added = written
          added.children = []  // added one by one below, as any revised child is
          added.removals = []
          Self.insert(added, under: (parent.flatMap(find) ?? [])[...], into: &tree, at: nil)
        }
        apply(written.children, under: written.name.value)
      }
    }

    /// What the revision writes replaces the base's; children are applied afterwards by name.
    static func revise(_ old: IndicatorSyntax, with new: IndicatorSyntax) -> IndicatorSyntax {
      var result = old
      result.name = new.name
      result.span = new.span
      if new.weightWritten {
        result.weight = new.weight
        result.weightFromTable = new.weightFromTable
      }
      result.description = new.description ?? old.description
      result.standard = new.standard ?? old.standard
      if new.scoreWritten {
        result.score = new.score
        result.scoreWritten = true
      }
      if new.fromRows { result.fromRows = true }
      result.inputs = replacing(old.inputs, with: new.inputs, name: \.name.value)
      result.definitions = replacing(old.definitions, with: new.definitions, name: \.name.value)
      result.hasUnreadMembers = old.hasUnreadMembers || new.hasUnreadMembers
      result.removals = []
      return result
    }
  }
}
