// Paper: a view tree drawn once by the same layout and software renderer as the screen, at the printer's
// resolution, then turned into the 1-bit raster a thermal printer prints (Polish letters are pixels, so
// they are right whatever the printer's code pages).
import CSDL2
import Foundation
import KioskCore
import KioskUI

public enum PaperError: Error, CustomStringConvertible {
    case tooLong(height: Int)
    case raster(String)
    public var description: String {
        switch self {
        case let .tooLong(h): return "the printout would be \(h) dots long, more than \(PrintRaster.maxHeight); nothing was printed"
        case let .raster(why): return "the printout could not be rasterised: \(why)"
        }
    }
}

public final class PaperRenderer {
    let fonts: FontBook

    /// `fonts` must be this renderer's own: a FontBook is used from one thread only.
    public init(fonts: FontBook) { self.fonts = fonts }

    /// Lays `root` out `width` dots wide at its natural length and draws it black on white.
    public func raster(_ root: Node, width: Int, theme: Theme) throws -> (raster: PrintRaster, frame: Frame) {
        let engine = LayoutEngine(measurer: fonts, theme: theme)
        let frame = engine.layoutFitting(root, width: Double(width))
        let height = Int(frame.size.height)
        guard height <= PrintRaster.maxHeight else { throw PaperError.tooLong(height: height) }
        let canvas = try OffscreenCanvas(size: frame.size, fonts: fonts)
        canvas.draw(frame, background: Color(0xFFFFFF))
        let rgba = canvas.pixels()
        var gray = [UInt8](repeating: 255, count: width * height)
        for i in 0..<(width * height) {
            // Rec. 601 luma: anti-aliased text edges land on either side of the threshold like ink would.
            let r = Int(rgba[i * 4]), g = Int(rgba[i * 4 + 1]), b = Int(rgba[i * 4 + 2])
            gray[i] = UInt8((r * 299 + g * 587 + b * 114) / 1000)
        }
        do {
            return (try PrintRaster(width: width, height: height, gray: gray), frame)
        } catch {
            throw PaperError.raster("\(error)")
        }
    }
}
