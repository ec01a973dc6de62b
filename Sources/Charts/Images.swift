/// One image of a grid, with an optional caption under it.
public struct GridImage: Sendable {
    public var pixels: [Float]
    public var caption: String?

    public init(pixels: [Float], caption: String? = nil) {
        self.pixels = pixels
        self.caption = caption
    }
}

extension Chart {
    /// Rows of same-size grey images (e.g. originals above reconstructions), each row one PNG
    /// drawn pixelated, captions under each image. `rowLabels` name the rows.
    public static func imageGrid(title: String, rows: [[GridImage]], imageWidth: Int, imageHeight: Int,
                                 rowLabels: [String] = [], scale: Double = 2) -> String {
        let columns = rows.map(\.count).max() ?? 0
        let cellHeight = Double(imageHeight) * scale
        let hasCaptions = rows.contains { $0.contains { $0.caption != nil } }
        let labelWidth = rowLabels.isEmpty ? 8.0 : 92.0
        let rowHeight = cellHeight + (hasCaptions ? 16 : 6)
        let gap = 2
        let width = max(labelWidth + Double(columns * (imageWidth + gap)) * scale + 8, Double(title.count) * 8 + 16)
        let height = 34 + Double(rows.count) * rowHeight
        var svg = SVG()
        svg.text(title, x: width / 2, y: 20, size: 14, weight: "bold")
        for (r, row) in rows.enumerated() {
            let y = 30 + Double(r) * rowHeight
            if r < rowLabels.count { svg.text(rowLabels[r], x: labelWidth - 6, y: y + cellHeight / 2 + 4, anchor: "end", size: 11) }
            // One bitmap per row: the images side by side with a 2-pixel gap.
            let stripWidth = row.count * (imageWidth + gap)
            var strip = [Float](repeating: 1, count: stripWidth * imageHeight)
            for (c, image) in row.enumerated() {
                for py in 0..<imageHeight { for px in 0..<imageWidth where py * imageWidth + px < image.pixels.count {
                    strip[py * stripWidth + c * (imageWidth + gap) + px] = image.pixels[py * imageWidth + px]
                } }
            }
            let png = PNG.dataURI(PNG.grey(strip, width: stripWidth, height: imageHeight))
            svg.element("image", [("x", SVG.number(labelWidth)), ("y", SVG.number(y)), ("width", SVG.number(Double(stripWidth) * scale)),
                                  ("height", SVG.number(cellHeight)), ("href", png), ("style", "image-rendering:pixelated"), ("preserveAspectRatio", "none")])
            for (c, image) in row.enumerated() {
                if let caption = image.caption {
                    svg.text(caption, x: labelWidth + (Double(c * (imageWidth + gap)) + Double(imageWidth) / 2) * scale, y: y + cellHeight + 12, size: 10)
                }
            }
        }
        return svg.document(width: width, height: height, title: title)
    }
}
