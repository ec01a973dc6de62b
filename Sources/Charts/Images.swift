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
    /// Rows of same-size grey images (e.g. originals above reconstructions), drawn pixelated,
    /// captions under each image, the label of each row beside or above it. Laid out for the
    /// column: images without captions shrink to fit it (a grid of decoded codes keeps its
    /// shape); with captions, whose text must stay legible, the columns are split into bands
    /// (columns 1–5 of every row, then 6–10), so that an original stays in line with its
    /// reconstruction. `flowing`: the images are one list (a single row), laid out in as many
    /// lines as the column needs, in reading order, at their own scale.
    ///
    /// ```swift
    /// let svg = Chart.imageGrid(title: "Reconstructions", rows: [originals, rebuilt], imageWidth: 28, imageHeight: 28,
    ///                           rowLabels: ["original", "reconstruction"])
    /// ```
    public static func imageGrid(title: String, rows: [[GridImage]], imageWidth: Int, imageHeight: Int,
                                 rowLabels: [String] = [], scale: Double = 2, flowing: Bool = false) -> String {
        let width = Typography.columnWidth
        // Short row labels (a class's digit) stand left of their rows; longer ones above them.
        let widestLabel = rowLabels.map { Typography.width(of: $0, size: Typography.small) }.max() ?? 0
        let labelsLeft = widestLabel > 0 && widestLabel <= 48
        let labelColumn = labelsLeft ? widestLabel + 8 : 0
        let room = width - 16 - labelColumn
        let columns = max(rows.map(\.count).max() ?? 0, 1)
        let allCaptions: [String] = rows.flatMap { row in row.compactMap(\.caption) }
        let captionWords: [String] = allCaptions.flatMap { caption in caption.split(separator: " ").map { String($0) } }
        let widestWord = min(captionWords.map { Typography.width(of: $0, size: Typography.small) }.max() ?? 0, room)
        // Pixels between images, at the images' resolution; wider cells where captions need it.
        let imageWidthUnits = Double(max(imageWidth, 1)), minimumGap = 2.0
        var scale = max(scale, 0.01)
        if widestWord == 0 && !flowing {
            scale = min(scale, room / (Double(columns) * (imageWidthUnits + minimumGap)))
        } else {
            scale = min(scale, room / (imageWidthUnits + minimumGap))
        }
        let gap = max(minimumGap, ((widestWord + 6) / scale - imageWidthUnits).rounded(.up))
        let cell = (imageWidthUnits + gap) * scale
        let perBand = max(1, min(columns, Int(room / cell)))
        let bands = (columns + perBand - 1) / perBand
        let captions = rows.map { $0.map { $0.caption.map { Typography.wrap($0, width: cell - 4, size: Typography.small) } ?? [] } }
        let titleLines = Typography.wrap(title, width: room, size: Typography.title, bold: true)
        let cellHeight = Double(imageHeight) * scale
        let lineHeight = Typography.small * Typography.leading
        let labelled = rowLabels.contains { !$0.isEmpty } && !labelsLeft

        var svg = SVG()
        svg.lines(titleLines, x: width / 2, y: 4 + Typography.title, size: Typography.title, weight: "bold")
        var y = 4 + Double(titleLines.count) * Typography.title * Typography.leading + 6
        let left = labelColumn + (width - labelColumn - Double(min(perBand, columns)) * cell + gap * scale) / 2
        for band in 0..<bands {
            let first = band * perBand
            for (r, row) in rows.enumerated() where first < row.count {
                let shown = Array(row[first..<min(first + perBand, row.count)])
                if labelled, r < rowLabels.count, !rowLabels[r].isEmpty {
                    y += lineHeight
                    svg.text(rowLabels[r], x: left, y: y - 4, anchor: "start", fill: "#555")
                }
                if labelsLeft, r < rowLabels.count {
                    svg.text(rowLabels[r], x: left - 8, y: y + cellHeight / 2 + Typography.small * 0.35, anchor: "end", fill: "#555")
                }
                // One bitmap per row of a band: the images side by side, `gap` pixels apart.
                let stripWidth = shown.count * (imageWidth + Int(gap))
                var strip = [Float](repeating: 1, count: stripWidth * imageHeight)
                for (c, image) in shown.enumerated() {
                    for py in 0..<imageHeight { for px in 0..<imageWidth where py * imageWidth + px < image.pixels.count {
                        strip[py * stripWidth + c * (imageWidth + Int(gap)) + px] = image.pixels[py * imageWidth + px]
                    } }
                }
                let png = PNG.dataURI(PNG.grey(strip, width: stripWidth, height: imageHeight))
                svg.element("image", [("x", SVG.number(left)), ("y", SVG.number(y)), ("width", SVG.number(Double(stripWidth) * scale)),
                                      ("height", SVG.number(cellHeight)), ("href", png), ("style", "image-rendering:pixelated"), ("preserveAspectRatio", "none")])
                y += cellHeight
                let lines = (first..<(first + shown.count)).map { captions[r][$0] }
                for (c, caption) in lines.enumerated() {
                    svg.lines(caption, x: left + Double(c) * cell + imageWidthUnits * scale / 2, y: y + 2 + Typography.small)
                }
                y += Double(lines.map(\.count).max() ?? 0) * lineHeight + 4
            }
            y += 8
        }
        return svg.document(width: width, height: y, title: title)
    }
}
