"""Draw the lesson library's pictures (lessons/library/pictures/*.png) from Noto Color Emoji.

Each picture is one emoji on a soft rounded plate, so that it stands out on a white card, a
black high-contrast card and a green "mastered" card alike. The PNGs are committed: the
kiosk and the tests use them, never the font. Run this again only to change or add one:

    scripts/install-system-packages.sh          # Debian's fonts-noto-color-emoji
    .venv/bin/pip install -e '.[pictures]'      # Pillow
    .venv/bin/python scripts/make_lesson_pictures.py

Source and licence: docs/lesson-format.md, "Pictures".
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
OUT = Path(__file__).parents[1] / "lessons" / "library" / "pictures"
EMOJI_PX = 109  # the colour bitmaps' one size in Noto Color Emoji (136×128 px each)
SIZE = 256  # a picture is drawn up to ~50 mm: 256 px is sharp on a 24″ and close on a 10″
EMOJI_SHARE = 0.74  # how much of the plate the emoji fills
CROSSED_SHARE = 0.6  # a crossed-out emoji sits inside the 🚫 ring
PLATE_RADIUS = 0.2  # corner radius as a share of the side (an app icon's shape)
SUPERSAMPLE = 4  # the plate is drawn this much bigger and shrunk, for smooth edges
NO = "\U0001f6ab"  # 🚫 drawn over an emoji: "do not"


@dataclass(frozen=True)
class Picture:
    emoji: str
    plate: str  # a light colour, so the emoji reads on any card colour
    crossed: bool = False  # 🚫 over it


PICTURES = {
    # one per lesson, for its card and its narration
    "smartphone": Picture("\U0001f4f1", "#DCEBFF"),  # 📱 phone-basics
    "phone-call": Picture("\U0001f4de", "#D5F2DC"),  # 📞 phone-call
    "kakaotalk": Picture("\U0001f4ac", "#FEE500"),  # 💬 on KakaoTalk's yellow
    "video-call": Picture("\U0001f4f9", "#E6DEFF"),  # 📹 video-call
    "camera": Picture("\U0001f4f7", "#FFE1D3"),  # 📷 take-photo
    "hamburger": Picture("\U0001f354", "#FFF0C7"),  # 🍔 restaurant-kiosk
    "wifi": Picture("\U0001f6dc", "#D8EEFF"),  # 🛜 public-wifi (the Wi-Fi fan signs show)
    "warning": Picture("\u26a0\ufe0f", "#FFDCDC"),  # ⚠️ phishing-sms
    "bus": Picture("\U0001f68c", "#D4F1EC"),  # 🚌 bus-map
    "hospital": Picture("\U0001f3e5", "#DDEBFA"),  # 🏥 clinic-checkin
    # for single steps
    "volume": Picture("\U0001f50a", "#DCEBFF"),  # 🔊
    "selfie": Picture("\U0001f933", "#E6DEFF"),  # 🤳
    "gallery": Picture("\U0001f5bc\ufe0f", "#FFE1D3"),  # 🖼️
    "credit-card": Picture("\U0001f4b3", "#FFF0C7"),  # 💳
    "receipt": Picture("\U0001f9fe", "#FFF0C7"),  # 🧾
    "no-banking": Picture("\U0001f3e6", "#D8EEFF", crossed=True),  # 🏦 + 🚫
    "no-tapping": Picture("\U0001f446", "#FFDCDC", crossed=True),  # 👆 + 🚫 (never tap a link)
    "police": Picture("\U0001f46e", "#FFDCDC"),  # 👮
    "id-card": Picture("\U0001faaa", "#DDEBFA"),  # 🪪
    "map": Picture("\U0001f5fa\ufe0f", "#D4F1EC"),  # 🗺️
    "bus-stop": Picture("\U0001f68f", "#D4F1EC"),  # 🚏
    # 생활 kiosks and 심화/안전 lessons
    "bank": Picture("\U0001f3e6", "#D8EEFF"),  # 🏦 bank-balance
    "money-send": Picture("\U0001f4b8", "#D5F2DC"),  # 💸 bank-transfer
    "atm": Picture("\U0001f3e7", "#D8EEFF"),  # 🏧 atm-withdraw
    "movie": Picture("\U0001f3ac", "#E6DEFF"),  # 🎬 movie-kiosk
    "shopping-cart": Picture("\U0001f6d2", "#FFF0C7"),  # 🛒 mart-self-checkout
    "train": Picture("\U0001f684", "#D4F1EC"),  # 🚄 train-ticket
    "delivery": Picture("\U0001f6f5", "#FFE1D3"),  # 🛵 food-delivery
    "hang-up": Picture("\U0001f4f5", "#FFDCDC"),  # 📵 phishing-call
    "government": Picture("\U0001f3db\ufe0f", "#DDEBFA"),  # 🏛️ gov-certificate
    # new lessons: basics and everyday life
    "unlock": Picture("\U0001f513", "#DCEBFF"),  # 🔓 unlock-phone
    "secret": Picture("\U0001f92b", "#FFDCDC"),  # 🤫 keep the PIN to yourself
    "app-store": Picture("\U0001f6cd\ufe0f", "#D5F2DC"),  # 🛍️ install-app
    "screenshot": Picture("\U0001f4f8", "#E6DEFF"),  # 📸 screenshot
    "battery": Picture("\U0001f50b", "#D5F2DC"),  # 🔋 battery-charging
    "emergency": Picture("\U0001f691", "#FFDCDC"),  # 🚑 emergency-sos
    "text-message": Picture("\u2709\ufe0f", "#DCEBFF"),  # ✉️ send-text-message
    "add-friend": Picture("\U0001f91d", "#FEE500"),  # 🤝 kakao-add-friend, on KakaoTalk's yellow
    "flowers": Picture("\U0001f338", "#FFE1D3"),  # 🌸 gallery-share-kakao, a grid photo
    "youtube": Picture("\U0001f4fa", "#FFDCDC"),  # 📺 youtube-search-play
    "taxi": Picture("\U0001f695", "#FFF0C7"),  # 🚕 taxi-app
    "subway": Picture("\U0001f687", "#D4F1EC"),  # 🚇 map-walk-subway
    "weather": Picture("\u26c5", "#D8EEFF"),  # ⛅ weather
    "voice-message": Picture("\U0001f399\ufe0f", "#FEE500"),  # 🎙️ kakao-voice-message
    # icons of simulated apps' buttons (`icon_only`: the kiosk's fonts draw no colour emoji)
    "search": Picture("\U0001f50d", "#EEF1F5"),  # 🔍 the magnifier of every search button
    "bell": Picture("\U0001f514", "#EEF1F5"),  # 🔔 notifications
    "person": Picture("\U0001f464", "#FEE500"),  # 👤 KakaoTalk's add-friend button
}


def emoji_image(font: ImageFont.FreeTypeFont, emoji: str) -> Image.Image:
    """The emoji's colour bitmap, cropped to what is drawn."""
    canvas = Image.new("RGBA", (EMOJI_PX * 2, EMOJI_PX * 2), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((0, 0), emoji, font=font, embedded_color=True)
    box = canvas.getbbox()
    if box is None:
        raise SystemExit(f"the font draws nothing for {emoji!r}")
    return canvas.crop(box)


def plate(colour: str) -> Image.Image:
    big = SIZE * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    ImageDraw.Draw(image).rounded_rectangle(
        (0, 0, big - 1, big - 1), radius=big * PLATE_RADIUS, fill=colour
    )
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def centred(image: Image.Image, onto: Image.Image, share: float = EMOJI_SHARE) -> None:
    """Scale `image` to fill `share` of `onto` (keeping its shape) and paste it centred."""
    scale = SIZE * share / max(image.size)
    size = (round(image.width * scale), round(image.height * scale))
    scaled = image.resize(size, Image.Resampling.LANCZOS)
    onto.alpha_composite(scaled, ((SIZE - size[0]) // 2, (SIZE - size[1]) // 2))


def draw(font: ImageFont.FreeTypeFont, picture: Picture) -> Image.Image:
    image = plate(picture.plate)
    centred(
        emoji_image(font, picture.emoji), image, CROSSED_SHARE if picture.crossed else EMOJI_SHARE
    )
    if picture.crossed:
        centred(emoji_image(font, NO), image)
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--font", type=Path, default=FONT)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("names", nargs="*", help="only these pictures (default: all)")
    args = parser.parse_args(argv)
    if not args.font.is_file():
        print(
            f"{args.font}: no such font; install Debian's fonts-noto-color-emoji "
            "(scripts/install-system-packages.sh)",
            file=sys.stderr,
        )
        return 1
    font = ImageFont.truetype(str(args.font), EMOJI_PX)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, picture in PICTURES.items():
        if args.names and name not in args.names:
            continue
        path = args.out / f"{name}.png"
        draw(font, picture).save(path, optimize=True)
        print(f"{path}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
