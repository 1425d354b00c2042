import Foundation
import RLMEngine
import RLMProtocol

/// `rlm/trajectory`: a stored trajectory as JSON Lines, as its HTML page, or as that page written
/// to the cache folder (`TrajectoryPage.defaultPath`) for an editor to open in a browser.
enum TrajectoryExport {
    static func result(_ params: TrajectoryRequest.Params, store: TrajectoryStore?,
                       environment: [String: String]) throws -> TrajectoryRequest.Result {
        let format = params.format ?? .jsonl
        if params.inline != nil && format != .html {
            throw ResponseError(.invalidParams, "\"inline\" goes with \"format\": \"html\"")
        }
        guard let store, let trajectory = try store.load(params.id) else {
            throw ResponseError(.unknownTrajectory, "no trajectory \(params.id)")
        }
        switch format {
        case .jsonl:
            return TrajectoryRequest.Result(jsonl: try trajectory.jsonLines())
        case .html:
            let page = TrajectoryPage.forSaved(trajectory, environment: environment)
            if params.inline == true { return TrajectoryRequest.Result(html: page.html()) }
            let path = TrajectoryPage.defaultPath(id: trajectory.id, environment: environment)
            try page.write(to: path)
            return TrajectoryRequest.Result(path: path)
        }
    }
}
