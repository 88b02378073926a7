import ShenzhouTraining
import Testing

@Suite struct AutoregressiveGroupTests {
  @Test(arguments: [1, 2, 3, 5])
  func groupsPartitionAndRevealEarlierGroups(k: Int) {
    let groups = PretrainObjective.autoregressiveGroups(count: 23, groups: k, seed: 7)
    #expect(groups.count == k)
    // Every masked position is predicted exactly once.
    #expect(groups.flatMap(\.predicted).sorted() == Array(0..<23))
    // Group g reveals exactly the positions of groups 0..<g.
    for (index, group) in groups.enumerated() {
      let earlier = groups[..<index].flatMap(\.predicted).sorted()
      #expect(group.revealed == earlier)
      #expect(Set(group.predicted).isDisjoint(with: group.revealed))
    }
    // Sizes differ by at most one.
    let sizes = groups.map(\.predicted.count)
    #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
  }

  @Test func orderDependsOnSeedOnly() {
    let first = PretrainObjective.autoregressiveGroups(count: 30, groups: 3, seed: 11)
    #expect(first == PretrainObjective.autoregressiveGroups(count: 30, groups: 3, seed: 11))
    #expect(first != PretrainObjective.autoregressiveGroups(count: 30, groups: 3, seed: 12))
  }

  @Test func moreGroupsThanPositionsCollapses() {
    let groups = PretrainObjective.autoregressiveGroups(count: 2, groups: 5, seed: 1)
    #expect(groups.count == 2)
    #expect(PretrainObjective.autoregressiveGroups(count: 4, groups: 1, seed: 1) == [
      PretrainObjective.Group(predicted: [0, 1, 2, 3], revealed: [])
    ])
  }
}
