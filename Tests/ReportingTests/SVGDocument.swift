import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// An SVG file parsed with Foundation's XMLParser, as a flat list of elements in document
/// order.
struct SVGDocument {
  struct Element {
    var name: String
    var attributes: [String: String]
    var text: String
  }

  var elements: [Element]

  /// Parses `svg`; throws when it is not well-formed XML.
  init(_ svg: String) throws {
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = Collector()
    parser.delegate = collector
    guard parser.parse() else {
      throw ParseFailure(message: "invalid XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
    }
    elements = collector.elements
  }

  func all(_ name: String) -> [Element] {
    elements.filter { $0.name == name }
  }

  /// Returns the element texts inside the first `g` whose class is `groupClass`.
  func texts(inGroup groupClass: String) -> [String] {
    guard let start = elements.firstIndex(where: { $0.name == "g" && $0.attributes["class"] == groupClass })
    else { return [] }
    return elements[(start + 1)...].prefix { $0.name != "g" }.filter { $0.name == "text" }.map(\.text)
  }

  /// The numbers in the `d` attributes of `path` elements and the centers of `circle`s.
  var plottedNumbers: [Double] {
    let fromPaths = all("path").flatMap { element in
      (element.attributes["d"] ?? "").split(separator: " ").compactMap { Double($0) }
    }
    let fromCircles = all("circle").flatMap { element in
      [element.attributes["cx"], element.attributes["cy"]].compactMap { $0.flatMap(Double.init) }
    }
    return fromPaths + fromCircles
  }

  struct ParseFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  private final class Collector: NSObject, XMLParserDelegate {
    var elements: [Element] = []
    private var open: [Int] = []

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName: String?, attributes: [String: String] = [:]
    ) {
      open.append(elements.count)
      elements.append(Element(name: elementName, attributes: attributes, text: ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if let index = open.last { elements[index].text += string }
    }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
      qualifiedName: String?
    ) {
      open.removeLast()
    }
  }
}
