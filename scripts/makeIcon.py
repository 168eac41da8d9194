# Draws media/icon.png (128x128): a Service node fanning out to three pods, on a rounded
# square. Pure Python (zlib + struct), so it runs anywhere; 4x supersampling for smooth edges.
import math, struct, zlib

SIZE, SS = 128, 4
N = SIZE * SS
BG = (50, 108, 229)      # Kubernetes blue
FG = (255, 255, 255)
POD = (166, 226, 255)

def inside_rounded(x, y, r=28 * SS, pad=4 * SS):
    lo, hi = pad, N - pad
    cx = min(max(x, lo + r), hi - r)
    cy = min(max(y, lo + r), hi - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r and lo <= x <= hi and lo <= y <= hi

def dist_to_segment(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)

svc = (40 * SS, 64 * SS)
pods = [(92 * SS, 32 * SS), (92 * SS, 64 * SS), (92 * SS, 96 * SS)]

def color(x, y):
    if not inside_rounded(x, y):
        return None
    if math.hypot(x - svc[0], y - svc[1]) <= 15 * SS:
        return FG
    for p in pods:
        if math.hypot(x - p[0], y - p[1]) <= 10 * SS:
            return POD
    for p in pods:
        if dist_to_segment(x, y, svc[0], svc[1], p[0], p[1]) <= 3.2 * SS:
            return FG
    return BG

rows = []
for py in range(SIZE):
    row = bytearray([0])
    for px in range(SIZE):
        acc = [0, 0, 0, 0]
        for sy in range(SS):
            for sx in range(SS):
                c = color(px * SS + sx + 0.5, py * SS + sy + 0.5)
                if c:
                    acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 255
        n = SS * SS
        a = acc[3] // n
        if a:
            k = acc[3] / 255
            row += bytes([int(acc[0] / k), int(acc[1] / k), int(acc[2] / k), a])
        else:
            row += bytes([0, 0, 0, 0])
    rows.append(bytes(row))

def chunk(tag, data):
    return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', zlib.crc32(tag + data) & 0xFFFFFFFF)

png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', SIZE, SIZE, 8, 6, 0, 0, 0))
png += chunk(b'IDAT', zlib.compress(b''.join(rows), 9)) + chunk(b'IEND', b'')
open('media/icon.png', 'wb').write(png)
print('media/icon.png', len(png), 'bytes')
