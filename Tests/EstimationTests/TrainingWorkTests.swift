import Estimation
import Learning
import Testing

@Suite struct TrainingWorkTests {
    @Test func alexNetTakesItsPapersFiguresForWhatIsLeftOut() {
        let both = TrainingWork.resolve(samples: nil, epochs: nil, for: .alexNet)
        #expect(both?.samples == 1_200_000)
        #expect(both?.epochs == 90)
        #expect(both?.publishedSource?.contains("Krizhevsky") == true)
        let one = TrainingWork.resolve(samples: 1000, epochs: nil, for: .alexNet)
        #expect(one == TrainingWork(samples: 1000, epochs: 90, publishedSource: TrainingWork.alexNet.publishedSource))
    }

    @Test func figuresTheCallerGivesAreKeptAndNameNoSource() {
        #expect(TrainingWork.resolve(samples: 10, epochs: 2, for: .alexNet) == TrainingWork(samples: 10, epochs: 2))
    }

    @Test func anArchitectureWithoutAPublishedTrainingNeedsBothFigures() throws {
        let mlp = try ArchitectureSpec.mlp(widths: [784, 256, 10])
        #expect(TrainingWork.resolve(samples: 60_000, epochs: nil, for: mlp) == nil)
        #expect(TrainingWork.resolve(samples: nil, epochs: 3, for: mlp) == nil)
        #expect(TrainingWork.resolve(samples: 60_000, epochs: 3, for: mlp) == TrainingWork(samples: 60_000, epochs: 3))
    }
}
