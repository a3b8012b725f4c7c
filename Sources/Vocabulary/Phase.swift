/// The phase of training a piece of work belongs to.
public enum Phase: Int, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// Gathering a minibatch (time only: copying rows does no arithmetic).
    case data
    /// The forward pass of training steps, loss included.
    case forward
    /// The backward pass: the loss gradient and every layer's gradients.
    case backward
    /// Parameter updates (or, for least squares, the solver).
    case optimizer
    /// Passes over data to measure loss and metrics, without gradients.
    case evaluation

    public var description: String {
        switch self {
        case .data: "data"
        case .forward: "forward"
        case .backward: "backward"
        case .optimizer: "optimizer"
        case .evaluation: "evaluation"
        }
    }
}
