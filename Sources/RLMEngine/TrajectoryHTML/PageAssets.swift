import ContextStore
import Foundation

/// The page's stylesheet and script (Resources/trajectory.css and trajectory.js, written for it)
/// and the Content-Security-Policy that admits exactly those two: nothing may load from anywhere,
/// and an inline script that got into the page some other way would not run.
enum PageAssets {
    static let style = load("trajectory", "css")
    static let script = load("trajectory", "js")

    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'sha256-\(digest(style))'; script-src 'sha256-\(digest(script))'; "
            + "img-src data:; base-uri 'none'; form-action 'none'"
    }

    private static func load(_ name: String, _ ext: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "" }
        return text
    }

    private static func digest(_ text: String) -> String {
        Data(SHA256.hash(Array(text.utf8))).base64EncodedString()
    }
}
