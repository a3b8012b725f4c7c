import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of a parsed SVG document: name, attributes and its direct text.
struct ParsedElement {
    var name: String
    var attributes: [String: String]
    var text: String
    /// Indices of the enclosing elements, outermost first.
    var ancestors: [Int]

    /// The element's `class` attribute split into words.
    var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }
}

/// Parses an SVG string with Foundation's XMLParser; fails the test if it is not well-formed.
func parseSVG(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [ParsedElement] {
    let collector = ElementCollector()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = collector
    let ok = parser.parse()
    #expect(ok, "not well-formed XML: \(String(describing: parser.parserError))", sourceLocation: sourceLocation)
    try #require(ok, sourceLocation: sourceLocation)
    return collector.elements
}

/// Collects elements in document order.
private final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [ParsedElement] = []
    private var open: [Int] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        elements.append(ParsedElement(name: elementName, attributes: attributeDict, text: "", ancestors: open))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = open.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        _ = open.popLast()
    }
}

extension Array where Element == ParsedElement {
    /// Elements carrying every one of `classes`.
    func withClass(_ classes: String...) -> [ParsedElement] {
        filter { element in classes.allSatisfy { element.classes.contains($0) } }
    }

    /// Descendants of the first element with class `groupClass` whose `key` attribute is `value`.
    func inGroup(class groupClass: String, _ key: String, _ value: String) -> [ParsedElement] {
        guard let group = firstIndex(where: { $0.classes.contains(groupClass) && $0.attributes[key] == value })
        else { return [] }
        return filter { $0.ancestors.contains(group) }
    }
}
