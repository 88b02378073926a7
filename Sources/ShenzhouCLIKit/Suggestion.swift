/// Picks the candidate closest to a mistyped name, for "did you mean" hints.
///
/// Names are compared with dashes and underscores removed and letters lowercased, so
/// `topk` finds `top-k`. Otherwise the edit distance (insertions, deletions, substitutions
/// and swaps of neighbours) must be at most 1 for names up to 4 letters and 2 beyond.
func closestName(to input: String, among candidates: [String]) -> String? {
  let typed = normalizedForComparison(input)
  guard !typed.isEmpty else { return nil }
  let limit = typed.count <= 4 ? 1 : 2

  var best: (name: String, distance: Int)?
  for candidate in candidates {
    let distance = editDistance(typed, normalizedForComparison(candidate))
    if distance <= limit, distance < (best?.distance ?? Int.max) {
      best = (candidate, distance)
    }
  }
  return best?.name
}

private func normalizedForComparison(_ name: String) -> [Unicode.Scalar] {
  name.unicodeScalars.filter { $0 != "-" && $0 != "_" }.map { scalar in
    ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32) ?? scalar : scalar
  }
}

/// The optimal string alignment distance between `a` and `b`.
private func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  let width = b.count + 1
  var table = [Int](repeating: 0, count: (a.count + 1) * width)
  for j in 0...b.count { table[j] = j }
  for i in 1...a.count {
    table[i * width] = i
    for j in 1...b.count {
      let substitution = table[(i - 1) * width + j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
      var distance = min(table[(i - 1) * width + j] + 1, table[i * width + j - 1] + 1, substitution)
      if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
        distance = min(distance, table[(i - 2) * width + j - 2] + 1)
      }
      table[i * width + j] = distance
    }
  }
  return table[a.count * width + b.count]
}
