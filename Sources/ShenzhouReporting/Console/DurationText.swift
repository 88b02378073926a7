/// Formats a duration for console output in at most two units: `42s`, `12m05s`, `3h07m`,
/// `2d04h`. Returns `-` for NaN or negative values and `>9999d` past 9999 days.
public func formatDuration(seconds: Double) -> String {
  guard !seconds.isNaN, seconds >= 0 else { return "-" }
  guard seconds < 9999 * 86_400 else { return ">9999d" }
  let total = Int(seconds.rounded())
  let days = total / 86_400
  let hours = total % 86_400 / 3600
  let minutes = total % 3600 / 60
  let remainder = total % 60
  if days > 0 { return "\(days)d" + twoDigits(hours) + "h" }
  if hours > 0 { return "\(hours)h" + twoDigits(minutes) + "m" }
  if minutes > 0 { return "\(minutes)m" + twoDigits(remainder) + "s" }
  return "\(remainder)s"
}

private func twoDigits(_ value: Int) -> String {
  value < 10 ? "0\(value)" : "\(value)"
}
