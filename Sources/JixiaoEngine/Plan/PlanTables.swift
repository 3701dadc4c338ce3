/// What the instructions of a compiled plan look up by number: bounds of bands, checks of defaults,
/// runs of bands for `lookup` and of items for `checklist`. Copied once into memory of its own,
/// which the machine reads through pointers: no bounds check, no reference counting per step.
final class PlanTables: @unchecked Sendable {
  let bounds: UnsafeMutableBufferPointer<Bounds>
  let checks: UnsafeMutableBufferPointer<NumberCheck>
  let lookups: UnsafeMutableBufferPointer<(bounds: Bounds, result: Register)>
  let lookupStarts: UnsafeMutableBufferPointer<Int32>
  let items: UnsafeMutableBufferPointer<(condition: Register, points: Register)>
  let itemStarts: UnsafeMutableBufferPointer<Int32>

  init(_ compiler: PlanCompiler) {
    func copy<Element>(_ array: [Element]) -> UnsafeMutableBufferPointer<Element> {
      let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: array.count)
      _ = buffer.initialize(from: array)
      return buffer
    }
    bounds = copy(compiler.bounds)
    checks = copy(compiler.checks)
    lookups = copy(compiler.lookups)
    lookupStarts = copy(compiler.lookupStarts)
    items = copy(compiler.items)
    itemStarts = copy(compiler.itemStarts)
  }

  deinit {
    bounds.deallocate()
    checks.deallocate()
    lookups.deallocate()
    lookupStarts.deallocate()
    items.deallocate()
    itemStarts.deallocate()
  }
}
