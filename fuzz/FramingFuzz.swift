// libFuzzer target for the framing and message parsers: any bytes, split anywhere, must not crash,
// trap or hang them (the unit tests check what they produce). Build and run with fuzz/run.sh.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Data(bytes: start, count: count)
    let cut = count == 0 ? 0 : Int(bytes[0]) % (count + 1)
    var lsp = LSPFrameParser(maxBody: 1 << 16)
    var frames = lsp.push(bytes.prefix(cut)) + lsp.push(bytes.dropFirst(cut))
    frames += lsp.push(Framing.lsp.frame(Data(#"{"after":true}"#.utf8)))
    var lines = LineFrameParser(maxLine: 1 << 16)
    _ = lines.push(bytes) + lines.push(Data("{}\n".utf8))
    for frame in frames { if case .message(let body) = frame { _ = Message.parse(body) } }
    return 0
}
