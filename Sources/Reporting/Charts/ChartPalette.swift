/// Colours and dash patterns for series: the Okabe–Ito palette (Okabe & Ito 2008, "Color
/// Universal Design"), distinguishable with the common forms of colour blindness. Lines also
/// differ by dash pattern so a greyscale print still tells them apart.
public enum ChartPalette {
    /// Okabe–Ito colours in drawing order; yellow comes last because it is faint on white.
    public static let okabeIto: [String] = [
        "#0072B2",  // blue
        "#D55E00",  // vermillion
        "#009E73",  // bluish green
        "#CC79A7",  // reddish purple
        "#E69F00",  // orange
        "#56B4E9",  // sky blue
        "#000000",  // black
        "#F0E442",  // yellow
    ]

    /// Dash patterns (SVG `stroke-dasharray`) cycled alongside the colours; "" is solid.
    public static let dashPatterns: [String] = ["", "7 3", "2 3", "9 3 2 3"]

    /// Colour of the series at `index`.
    public static func colour(at index: Int) -> String {
        okabeIto[index % okabeIto.count]
    }

    /// Dash pattern of the series at `index`.
    public static func dashPattern(at index: Int) -> String {
        dashPatterns[index % dashPatterns.count]
    }
}
