#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which optimizer updates the parameters, with its hyper-parameters.
public enum OptimizerKind: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Stochastic gradient descent with classical momentum μ (0 for plain SGD):
    /// v ← μ v + g; θ ← θ − η v.
    case sgd(momentum: Double)
    /// Adam (Kingma & Ba 2015) with β₁, β₂ and ε.
    case adam(beta1: Double, beta2: Double, epsilon: Double)

    /// Adam with the paper's defaults (0.9, 0.999, 1e-8).
    public static let adamDefault = OptimizerKind.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)

    /// `"sgd"` or `"adam"`.
    public var name: String {
        switch self {
        case .sgd: "sgd"
        case .adam: "adam"
        }
    }

    public var description: String {
        switch self {
        case .sgd(let momentum): momentum == 0 ? "sgd" : "sgd(momentum \(momentum))"
        case .adam(let b1, let b2, let eps): "adam(β1 \(b1), β2 \(b2), ε \(eps))"
        }
    }

    /// FLOPs per parameter per step: SGD 2 (scale, subtract), with momentum 4; Adam 12
    /// (m: 3, v: 4, update: sqrt, add ε, divide, scale, subtract).
    public var flopsPerParameter: Int {
        switch self {
        case .sgd(let momentum): momentum == 0 ? 2 : 4
        case .adam: 12
        }
    }
}

/// Updates a network's parameters from their gradients; keeps per-parameter state.
package final class Optimizer {
    private let kind: OptimizerKind
    private var learningRate: Float
    private let slots: [ParameterSlot]
    private var firstMoments: [Matrix] = []
    private var secondMoments: [Matrix] = []
    private var step = 0

    package init(kind: OptimizerKind, learningRate: Double, slots: [ParameterSlot]) {
        self.kind = kind
        self.learningRate = Float(learningRate)
        self.slots = slots
        switch kind {
        case .sgd(let momentum):
            if momentum != 0 { firstMoments = slots.map { Matrix(rows: $0.values.rows, columns: $0.values.columns) } }
        case .adam:
            firstMoments = slots.map { Matrix(rows: $0.values.rows, columns: $0.values.columns) }
            secondMoments = slots.map { Matrix(rows: $0.values.rows, columns: $0.values.columns) }
        }
    }

    /// Sets η for the next updates (a schedule calls this once per epoch).
    package func setLearningRate(_ value: Double) {
        learningRate = Float(value)
    }

    /// Applies one update; FLOPs are added per layer slot of `slotOfParameter`.
    package func update(ledger: inout FlopLedger, slotOfParameter: [Int]) {
        step += 1
        let perParameter = kind.flopsPerParameter
        // A local copy: read through `self` inside the loops, the rate could alias the stores
        // to θ as far as the compiler knows, and the loops would not vectorize.
        let learningRate = self.learningRate
        for (index, slot) in slots.enumerated() {
            let count = slot.values.count
            let theta = slot.values.pointer, g = slot.gradients.pointer
            switch kind {
            case .sgd(let momentum):
                if momentum == 0 {
                    for i in 0..<count { theta[i] -= learningRate * g[i] }
                } else {
                    let mu = Float(momentum), v = firstMoments[index].pointer
                    for i in 0..<count {
                        v[i] = mu * v[i] + g[i]
                        theta[i] -= learningRate * v[i]
                    }
                }
            case .adam(let beta1, let beta2, let epsilon):
                // Bias correction folded into the step size (Kingma & Ba, §2, last paragraph).
                let correction1 = 1 - pow(beta1, Double(step)), correction2 = 1 - pow(beta2, Double(step))
                let stepSize = Float(Double(learningRate) * correction2.squareRoot() / correction1)
                let b1 = Float(beta1), b2 = Float(beta2), eps = Float(epsilon * correction2.squareRoot())
                let m = firstMoments[index].pointer, v = secondMoments[index].pointer
                for i in 0..<count {
                    let gradient = g[i]
                    m[i] = b1 * m[i] + (1 - b1) * gradient
                    v[i] = b2 * v[i] + (1 - b2) * gradient * gradient
                    theta[i] -= stepSize * m[i] / (v[i].squareRoot() + eps)
                }
            }
            ledger.add(perParameter * count, slot: slotOfParameter[index], phase: .optimizer)
        }
    }
}
