"""Writes the small images in formats/ that the decoders are tested on.

Run from the repository root: /usr/bin/python3 src/io/testdata/make_formats.py
PIL writes most of them; ImageMagick's `convert`, when present, writes the
BMP variants PIL cannot (RLE8, RGB555) and a YCCK JPEG. All are drawn
from one 16x12 pattern of twelve 4x4 blocks, so their pixels are known.
"""
import shutil
import subprocess
from pathlib import Path

from PIL import Image

OUT = Path(__file__).parent / 'formats'
# One colour per 4x4 block, row-major: a pattern whose orientation shows.
BLOCKS = [
    (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0),
    (0, 255, 255), (255, 0, 255), (128, 128, 128), (255, 255, 255),
    (0, 0, 0), (64, 128, 192), (192, 64, 32), (32, 96, 32),
]


def pattern() -> Image.Image:
    im = Image.new('RGB', (16, 12))
    for i, colour in enumerate(BLOCKS):
        x, y = (i % 4) * 4, (i // 4) * 4
        im.paste(colour, (x, y, x + 4, y + 4))
    return im


# EXIF orientation n: how the stored pixels must be turned to be upright, and its inverse.
TO_STORED = {
    1: [], 2: [Image.Transpose.FLIP_LEFT_RIGHT], 3: [Image.Transpose.ROTATE_180], 4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE], 6: [Image.Transpose.ROTATE_90], 7: [Image.Transpose.TRANSVERSE], 8: [Image.Transpose.ROTATE_270],
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    upright = pattern()
    upright.save(OUT / 'pattern.png')
    for n, ops in TO_STORED.items():
        stored = upright
        for op in ops:
            stored = stored.transpose(op)
        exif = Image.Exif()
        exif[0x0112] = n
        stored.save(OUT / f'orientation_{n}.jpg', quality=95, subsampling=0, exif=exif)
    upright.save(OUT / 'progressive.jpg', quality=90, progressive=True)
    upright.convert('L').save(OUT / 'grey.jpg', quality=90)
    # CMYK with black in use (PIL's own conversion leaves K at 0).
    c, m, y, _ = upright.convert('CMYK').split()
    k = Image.linear_gradient('L').resize((16, 12))
    Image.merge('CMYK', (c, m, y, k)).save(OUT / 'cmyk.jpg', quality=95)
    upright.save(OUT / 'lossless.webp', lossless=True)
    # Transparency: a palette entry (tRNS) and grey + alpha; fully transparent or opaque, which a canvas hands back exactly.
    palette = upright.convert('P', palette=Image.Palette.ADAPTIVE, colors=16)
    palette.save(OUT / 'palette_transparent.png', transparency=palette.getpixel((0, 0)))
    grey_alpha = upright.convert('LA')
    grey_alpha.putalpha(Image.eval(upright.convert('L'), lambda v: 0 if v < 100 else 255))
    grey_alpha.save(OUT / 'grey_alpha.png')
    upright.convert('L').convert('I;16').point(lambda v: v * 257).save(OUT / 'grey16.png')
    # Two frames: browsers show the first.
    second = Image.new('RGB', (16, 12), (10, 20, 30))
    upright.save(OUT / 'animated.gif', save_all=True, append_images=[second], duration=100, loop=0)
    upright.save(OUT / 'rgb24.bmp')
    upright.convert('P', palette=Image.Palette.ADAPTIVE, colors=16).save(OUT / 'palette8.bmp')
    upright.convert('1').save(OUT / 'mono1.bmp')
    rgba = upright.convert('RGBA')
    rgba.putpixel((0, 0), (255, 0, 0, 128))
    rgba.save(OUT / 'rgba32.bmp')
    if shutil.which('convert'):
        src = str(OUT / 'pattern.png')
        subprocess.run(['convert', src, '-colors', '16', '-compress', 'RLE', f'BMP3:{OUT / "rle8.bmp"}'], check=True)
        subprocess.run(['convert', src, '-define', 'bmp:subtype=RGB555', f'BMP:{OUT / "rgb555.bmp"}'], check=True)
        subprocess.run(['convert', str(OUT / 'cmyk.jpg'), '-define', 'jpeg:colorspace=11', '-quality', '95', str(OUT / 'ycck.jpg')], check=True)


if __name__ == '__main__':
    main()
