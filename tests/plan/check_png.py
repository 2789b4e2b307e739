"""Checks a screenshot of the plan's HTML report (tests/plan/browser.sh): the PNG has the
window's size, is not blank, has text, and shows the report's colours: the red of defective
certificates and error bars, the green of ok ones, and the purple `now` line of the timeline.
Standard library only: the PNG is decoded with zlib and struct."""

import struct
import sys
import zlib


def decode(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        unfilter(kind, line, previous, channels)
        rows.append([tuple(line[x : x + 3]) for x in range(0, stride, channels)])
        previous = line
    return width, height, rows


def unfilter(kind, line, previous, bpp):
    if kind == 0:
        return
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = previous[i]
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 2:
            line[i] = (line[i] + up) & 255
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 255
        elif kind == 4:
            corner = previous[i - bpp] if i >= bpp else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
            line[i] = (line[i] + pred) & 255
        else:
            raise ValueError(f"filter {kind}")


def near(pixel, target, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, target))


def main(path):
    width, height, rows = decode(path)
    assert (width, height) == (1280, 2000), (width, height)
    pixels = [p for row in rows for p in row]
    colours = len(set(pixels))
    dark = sum(1 for p in pixels if sum(p) < 200)
    top_dark = sum(1 for row in rows[:200] for p in row if sum(p) < 200)
    counts = {
        "red (defective, error bars)": sum(1 for p in pixels if near(p, (207, 34, 46))),
        "green (ok)": sum(1 for p in pixels if near(p, (26, 127, 55), 30)),
        "purple (now)": sum(1 for p in pixels if near(p, (130, 80, 223), 30)),
    }
    print(
        f"browser: {width}x{height} screenshot, {colours} colours, {dark} dark pixels, "
        + ", ".join(f"{k}: {v}" for k, v in counts.items())
    )
    assert colours >= 50, "a blank or flat page"
    assert 2_000 <= dark <= len(pixels) // 4, "no text, or a black page"
    assert top_dark >= 500, "no heading at the top"
    assert counts["red (defective, error bars)"] >= 2_000, "no defective status or error bar"
    assert counts["green (ok)"] >= 20, "no ok status"
    assert counts["purple (now)"] >= 100, "no now line"
    print("browser: ok")


if __name__ == "__main__":
    main(sys.argv[1])
