/// What became of logging a run into MLflow. Never an error: a tracking server that is down or
/// refuses costs the user a warning, not the run.
public enum MLflowLogResult: Sendable, Hashable {
    /// The run's metrics and tags are in the MLflow run, sent in `requests` requests.
    case logged(metrics: Int, requests: Int)
    /// Nothing (or not everything) reached MLflow. `reason` is a sentence to print as a warning:
    /// it names the server (without credentials), the run id and what to do.
    case notLogged(reason: String)
    /// The program had no MLflow run (no run id anywhere): nothing to log and nothing to say.
    case notRequested
}
