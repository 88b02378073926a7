extension LossCurveChart {
  /// The pixel rectangle of the plot area.
  struct PlotArea {
    var left: Double
    var right: Double
    var top: Double
    var bottom: Double

    var width: Double { right - left }
    var height: Double { bottom - top }
  }

  func render() -> String {
    let fontSize = Self.fontSize
    let top = title.isEmpty ? 16.0 : 44.0
    let bottom = height - (options.xLabel.isEmpty ? 28 : 46)
    let yScale = yScale(targetTickCount: max(2, Int((bottom - top) / 50)))
    let yLabels = yScale.tickLabels()

    let yLabelWidth = yLabels.map { SVGText.estimatedWidth($0, fontSize: fontSize) }.max() ?? 0
    let left = 10 + (options.yLabel.isEmpty ? 0 : 22) + yLabelWidth + 8
    let legendTextWidth = min(
      layers.map { SVGText.estimatedWidth(legendText(for: $0), fontSize: fontSize) }.max() ?? 0,
      width * 0.3)
    let right = width - (layers.isEmpty ? 20 : 16 + 26 + legendTextWidth + 12)
    let plot = PlotArea(left: left, right: max(right, left + 40), top: top, bottom: bottom)
    let xScale = xScale(targetTickCount: max(2, Int(plot.width / 90)))

    var svg = ""
    svg.reserveCapacity(16_384)
    appendHeader(to: &svg)
    appendGrid(xScale: xScale, yScale: yScale, yLabels: yLabels, plot: plot, to: &svg)
    appendSeries(xScale: xScale, yScale: yScale, plot: plot, to: &svg)
    appendLegend(plot: plot, textWidth: legendTextWidth, to: &svg)
    svg += "</svg>\n"
    return svg
  }

  // MARK: - Frame

  private func appendHeader(to svg: inout String) {
    let w = SVGText.number(width)
    let h = SVGText.number(height)
    svg += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(w)\" height=\"\(h)\""
    svg += " viewBox=\"0 0 \(w) \(h)\" font-family=\"\(Self.fontFamily)\""
    svg += " font-size=\"\(SVGText.number(Self.fontSize))\">\n"
    if !title.isEmpty { svg += "<title>\(SVGText.escaped(title))</title>\n" }
    svg += "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
    if !title.isEmpty {
      let fittedTitle = SVGText.truncated(title, toWidth: width - 24, fontSize: Self.titleFontSize)
      svg += "<text class=\"title\" x=\"\(SVGText.number(width / 2))\" y=\"28\""
      svg += " text-anchor=\"middle\" font-size=\"\(SVGText.number(Self.titleFontSize))\""
      svg += " font-weight=\"bold\" fill=\"#222222\">\(SVGText.escaped(fittedTitle))</text>\n"
    }
  }

  private func appendGrid(
    xScale: AxisScale, yScale: AxisScale, yLabels: [String], plot: PlotArea, to svg: inout String
  ) {
    let xLabels = xScale.tickLabels()
    svg += "<g class=\"grid\" stroke=\"#e4e4e4\" stroke-width=\"1\">\n"
    for tick in yScale.ticks {
      let y = SVGText.number(yPixel(tick, yScale, plot))
      svg += "<line x1=\"\(SVGText.number(plot.left))\" y1=\"\(y)\" x2=\"\(SVGText.number(plot.right))\" y2=\"\(y)\"/>\n"
    }
    for tick in xScale.ticks {
      let x = SVGText.number(xPixel(tick, xScale, plot))
      svg += "<line x1=\"\(x)\" y1=\"\(SVGText.number(plot.top))\" x2=\"\(x)\" y2=\"\(SVGText.number(plot.bottom))\"/>\n"
    }
    svg += "</g>\n"

    svg += "<rect class=\"frame\" x=\"\(SVGText.number(plot.left))\" y=\"\(SVGText.number(plot.top))\""
    svg += " width=\"\(SVGText.number(plot.width))\" height=\"\(SVGText.number(plot.height))\""
    svg += " fill=\"none\" stroke=\"#8c8c8c\" stroke-width=\"1\"/>\n"

    svg += "<g class=\"y-ticks\" text-anchor=\"end\" fill=\"#444444\">\n"
    for (tick, label) in zip(yScale.ticks, yLabels) {
      let y = SVGText.number(yPixel(tick, yScale, plot) + 4)
      svg += "<text x=\"\(SVGText.number(plot.left - 6))\" y=\"\(y)\">\(SVGText.escaped(label))</text>\n"
    }
    svg += "</g>\n"

    svg += "<g class=\"x-ticks\" text-anchor=\"middle\" fill=\"#444444\">\n"
    for (tick, label) in zip(xScale.ticks, xLabels) {
      let x = SVGText.number(xPixel(tick, xScale, plot))
      svg += "<text x=\"\(x)\" y=\"\(SVGText.number(plot.bottom + 17))\">\(SVGText.escaped(label))</text>\n"
    }
    svg += "</g>\n"

    if !options.xLabel.isEmpty {
      svg += "<text class=\"x-label\" x=\"\(SVGText.number((plot.left + plot.right) / 2))\""
      svg += " y=\"\(SVGText.number(plot.bottom + 36))\" text-anchor=\"middle\" fill=\"#222222\">"
      svg += "\(SVGText.escaped(options.xLabel))</text>\n"
    }
    if !options.yLabel.isEmpty {
      let label = options.yLabel + (options.logScaleY ? " (log scale)" : "")
      let center = SVGText.number((plot.top + plot.bottom) / 2)
      svg += "<text class=\"y-label\" transform=\"translate(16 \(center)) rotate(-90)\""
      svg += " text-anchor=\"middle\" fill=\"#222222\">\(SVGText.escaped(label))</text>\n"
    }
  }

  // MARK: - Series

  private func appendSeries(
    xScale: AxisScale, yScale: AxisScale, plot: PlotArea, to svg: inout String
  ) {
    svg += "<defs><clipPath id=\"plot-area\"><rect x=\"\(SVGText.number(plot.left))\""
    svg += " y=\"\(SVGText.number(plot.top))\" width=\"\(SVGText.number(plot.width))\""
    svg += " height=\"\(SVGText.number(plot.height))\"/></clipPath></defs>\n"

    guard layers.contains(where: \.hasData) else {
      svg += "<text class=\"no-data\" x=\"\(SVGText.number((plot.left + plot.right) / 2))\""
      svg += " y=\"\(SVGText.number((plot.top + plot.bottom) / 2))\" text-anchor=\"middle\""
      svg += " fill=\"#8c8c8c\">no data</text>\n"
      return
    }

    svg += "<g clip-path=\"url(#plot-area)\" fill=\"none\" stroke-linejoin=\"round\" stroke-linecap=\"round\">\n"
    let columns = max(Int(plot.width), 1)
    for layer in layers where layer.hasData {
      svg += "<g class=\"series\" data-series=\"\(SVGText.escaped(layer.name))\">\n"
      let toPixels = { (points: [ChartPoint]) -> [ChartPoint] in
        let pixels = points.map {
          ChartPoint(x: self.xPixel($0.x, xScale, plot), y: self.yPixel($0.y, yScale, plot))
        }
        return SeriesGeometry.decimated(pixels, columnCount: columns)
      }
      let rawSegments = layer.segments.map(toPixels)
      if let smoothed = layer.smoothed {
        appendPath(rawSegments, color: layer.color, lineWidth: 1, opacity: 0.3, to: &svg)
        appendPath([toPixels(smoothed)], color: layer.color, lineWidth: 2, opacity: 1, to: &svg)
      } else {
        appendPath(rawSegments, color: layer.color, lineWidth: 1.75, opacity: 1, to: &svg)
      }
      svg += "</g>\n"
    }
    svg += "</g>\n"
  }

  /// Appends one `path` element for all runs with two or more points and one `circle` for
  /// each run of a single point.
  private func appendPath(
    _ segments: [[ChartPoint]], color: String, lineWidth: Double, opacity: Double,
    to svg: inout String
  ) {
    let opacityAttribute = opacity < 1 ? " stroke-opacity=\"\(SVGText.number(opacity))\"" : ""
    var data = ""
    for segment in segments where segment.count > 1 {
      for (index, point) in segment.enumerated() {
        if index == 0 {
          data += data.isEmpty ? "M" : " M"
        } else if index == 1 {
          data += " L"
        }
        data += " \(SVGText.number(point.x)) \(SVGText.number(point.y))"
      }
    }
    if !data.isEmpty {
      svg += "<path d=\"\(data)\" stroke=\"\(color)\" stroke-width=\"\(SVGText.number(lineWidth))\"\(opacityAttribute)/>\n"
    }
    for segment in segments where segment.count == 1 {
      let point = segment[0]
      let fillOpacity = opacity < 1 ? " fill-opacity=\"\(SVGText.number(opacity))\"" : ""
      svg += "<circle cx=\"\(SVGText.number(point.x))\" cy=\"\(SVGText.number(point.y))\""
      svg += " r=\"\(SVGText.number(lineWidth + 1.5))\" fill=\"\(color)\"\(fillOpacity)/>\n"
    }
  }

  // MARK: - Legend

  private func legendText(for layer: Layer) -> String {
    layer.hasData ? layer.name : layer.name + " (no data)"
  }

  private func appendLegend(plot: PlotArea, textWidth: Double, to svg: inout String) {
    guard !layers.isEmpty else { return }
    let rowHeight = 20.0
    let capacity = max(Int((plot.height - 8) / rowHeight), 1)
    let shownCount = layers.count <= capacity ? layers.count : capacity - 1
    let left = plot.right + 16

    svg += "<g class=\"legend\" fill=\"#222222\">\n"
    for (index, layer) in layers.prefix(shownCount).enumerated() {
      let y = plot.top + 12 + Double(index) * rowHeight
      let text = SVGText.truncated(legendText(for: layer), toWidth: textWidth, fontSize: Self.fontSize)
      let dimmed = layer.hasData ? "" : " stroke-opacity=\"0.35\""
      let textColor = layer.hasData ? "" : " fill=\"#8c8c8c\""
      svg += "<line x1=\"\(SVGText.number(left))\" y1=\"\(SVGText.number(y))\""
      svg += " x2=\"\(SVGText.number(left + 20))\" y2=\"\(SVGText.number(y))\""
      svg += " stroke=\"\(layer.color)\" stroke-width=\"3\"\(dimmed)/>\n"
      svg += "<text x=\"\(SVGText.number(left + 26))\" y=\"\(SVGText.number(y + 4))\"\(textColor)>"
      svg += "\(SVGText.escaped(text))</text>\n"
    }
    if shownCount < layers.count {
      let y = plot.top + 12 + Double(shownCount) * rowHeight
      svg += "<text x=\"\(SVGText.number(left))\" y=\"\(SVGText.number(y + 4))\" fill=\"#666666\">"
      svg += "and \(layers.count - shownCount) more</text>\n"
    }
    svg += "</g>\n"
  }

  // MARK: - Coordinates

  private func xPixel(_ x: Double, _ scale: AxisScale, _ plot: PlotArea) -> Double {
    plot.left + scale.fraction(of: x) * plot.width
  }

  private func yPixel(_ y: Double, _ scale: AxisScale, _ plot: PlotArea) -> Double {
    plot.bottom - scale.fraction(of: y) * plot.height
  }
}
