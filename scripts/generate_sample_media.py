"""Generate the media files of the sample curriculum in resources/curriculum/media/.

This is a maintainer tool. The build never runs it and the application never downloads media:
its output is committed. Run it again after changing the tables below, then check that the
lesson durations in resources/curriculum/courses/*.json still match.

What it writes (about 1 MB in all; file names start with the course, e.g. ``privacy-``):

* three 8-second videos (``.mp4``): 320x180, 12 frames/s, H.264 (constrained baseline) with a
  mono AAC chime soundtrack, frames drawn with QPainter, each with WebVTT captions (``.en.vtt``);
* three 8-second audio briefings (``.wav``): a soft chime, mono 16-bit PCM at 11025 Hz written
  with the stdlib ``wave`` module, each with WebVTT captions;
* three PNG figures for the readings, drawn with QPainter;
* three PDF handouts written with QPdfWriter (US Letter, two pages each).

The Markdown readings and the course JSON files are written by hand, not by this script.

Requirements:

* PySide6 (the project's ``.venv`` has it). Drawing runs offscreen; no display is needed.
* For the videos only: an ``ffmpeg`` executable with the ``libx264`` and ``aac`` encoders. It is
  looked up as ``--ffmpeg PATH``, then the ``FFMPEG`` environment variable, then ``ffmpeg`` on
  ``PATH`` (``apt-get install ffmpeg`` provides one). Without installing anything system-wide,
  the imageio-ffmpeg wheel bundles a suitable binary; keep it in a throwaway venv::

      python3 -m venv /tmp/ffmpeg-venv && /tmp/ffmpeg-venv/bin/pip install imageio-ffmpeg
      FFMPEG="$(/tmp/ffmpeg-venv/bin/python -c \\
          'import imageio_ffmpeg; print(imageio_ffmpeg.get_ffmpeg_exe())')" \\
          .venv/bin/python scripts/generate_sample_media.py

  ``--skip-video`` regenerates everything else when no ffmpeg is at hand.
"""

from __future__ import annotations

import argparse
import html
import math
import os
import shutil
import subprocess
import sys
import tempfile
import wave
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QTextDocument,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "resources" / "curriculum" / "media"

VIDEO_SIZE = (320, 180)
VIDEO_FPS = 12
VIDEO_AUDIO_RATE = 16000
AUDIO_RATE = 11025
FIGURE_SIZE = (640, 360)
FONT_FAMILIES = ["DejaVu Sans", "Helvetica", "Arial", "Liberation Sans"]

INK = QColor("#1f2933")
MUTED = QColor("#52606d")
PAPER = QColor("#ffffff")
WASH = QColor("#f5f7fa")
ALERT = QColor("#c62828")

# C major pentatonic, fifth octave: a gentle chime palette.
C5, D5, E5, G5, A5 = 523.25, 587.33, 659.25, 783.99, 880.0


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Scene:
    """One caption cue; videos also show ``headline`` on screen while it plays."""

    headline: str
    narration: str
    note: float


@dataclass(frozen=True)
class TimedMedia:
    """A video or audio lesson: equal-length scenes, a chime at the start of each."""

    stem: str
    course: str
    accent: str
    scenes: tuple[Scene, ...]
    seconds_per_scene: float = 2.0

    @property
    def seconds(self) -> float:
        return self.seconds_per_scene * len(self.scenes)


@dataclass(frozen=True)
class Block:
    """One paragraph-level element of a handout.

    ``kind`` is ``h2`` (section heading), ``p`` (paragraph), ``bullet``, ``check`` (a tick box
    and its text) or ``field`` (a label followed by ruled lines to write on). ``lead`` is an
    optional bold opening phrase.
    """

    kind: str
    text: str
    lead: str = ""
    lines: int = 0


@dataclass(frozen=True)
class Handout:
    stem: str
    course: str
    accent: str
    title: str
    subtitle: str
    blocks: tuple[Block, ...]


FOUNDATIONS = "Social media foundations for healthcare professionals"
PRIVACY = "Privacy, professionalism and patient confidentiality online"
PRESENCE = "Building and measuring a professional presence"

FOUNDATIONS_ACCENT = "#1565c0"
PRIVACY_ACCENT = "#6a1b9a"
PRESENCE_ACCENT = "#00796b"

VIDEOS: tuple[TimedMedia, ...] = (
    TimedMedia(
        "foundations-welcome",
        FOUNDATIONS,
        FOUNDATIONS_ACCENT,
        (
            Scene("Patients search first", "Patients search online before they call.", C5),
            Scene("Be a trusted voice", "You can be a trusted voice there.", E5),
            Scene("Three platforms", "We cover Facebook, Twitter/X and LinkedIn.", G5),
            Scene("Professional by default", "Every post reflects on patient trust.", E5),
        ),
    ),
    TimedMedia(
        "privacy-identifiable-story",
        PRIVACY,
        PRIVACY_ACCENT,
        (
            Scene("A proud moment", "A team shares a patient's recovery photo.", D5),
            Scene("Look at the background", "The whiteboard shows a name and room.", G5),
            Scene("Small details add up", "Dates and places can identify people too.", A5),
            Scene("Consent, then check", "Get written consent; check the whole frame.", G5),
        ),
    ),
    TimedMedia(
        "presence-trusted-profile",
        PRESENCE,
        PRESENCE_ACCENT,
        (
            Scene("First impressions", "Your profile is often seen first.", C5),
            Scene("Who you are", "Show your name, credentials and workplace.", D5),
            Scene("What you offer", "Say what you post, and what you can't do.", E5),
            Scene("Stay consistent", "Use the same details on every platform.", G5),
        ),
    ),
)

AUDIOS: tuple[TimedMedia, ...] = (
    TimedMedia(
        "foundations-listen-first",
        FOUNDATIONS,
        FOUNDATIONS_ACCENT,
        (
            Scene("", "Before you post, listen for a week.", C5),
            Scene("", "Note the questions patients ask most.", E5),
            Scene("", "Those questions are your first posts.", G5),
            Scene("", "Answer plainly, with one clear next step.", C5),
        ),
    ),
    TimedMedia(
        "privacy-boundaries",
        PRIVACY,
        PRIVACY_ACCENT,
        (
            Scene("", "Keep personal and professional accounts apart.", D5),
            Scene("", "Decline patients' friend requests politely.", G5),
            Scene("", "Move clinical questions to the portal.", A5),
            Scene("", "Never confirm online who is your patient.", D5),
        ),
    ),
    TimedMedia(
        "presence-metrics",
        PRESENCE,
        PRESENCE_ACCENT,
        (
            Scene("", "Start with the goal, not the metric.", C5),
            Scene("", "Reach shows who saw it; action shows change.", D5),
            Scene("", "Track bookings, sign-ups and questions answered.", E5),
            Scene("", "Review monthly; keep what works.", G5),
        ),
    ),
)

HANDOUTS: tuple[Handout, ...] = (
    Handout(
        "foundations-plain-language-checklist",
        FOUNDATIONS,
        FOUNDATIONS_ACCENT,
        "Plain-language posting checklist",
        "Write posts that patients understand, trust and can act on.",
        (
            Block("h2", "1. Before you write"),
            Block("check", "Name the audience in one phrase (for example: parents of toddlers)."),
            Block("check", "Write the single message you want them to remember, in one sentence."),
            Block("check", "Decide the one action you want them to take next."),
            Block("check", "Find a current, reputable source you can link to or cite."),
            Block("h2", "2. While you write"),
            Block(
                "check",
                "Aim for a 6th to 8th grade reading level: short sentences, everyday words.",
            ),
            Block("check", "Explain any medical term you cannot avoid, the first time you use it."),
            Block("check", "Prefer active voice: “Wash your hands” rather than “Hands should…”."),
            Block(
                "check",
                "Give numbers as natural frequencies (“1 in 10 people”) instead of percentages "
                "alone.",
            ),
            Block("check", "Put the most important point first; people skim on phones."),
            Block("check", "Avoid abbreviations, jargon and Latin shorthand (q.d., PRN, SOB)."),
            Block("h2", "3. Make it accessible"),
            Block("check", "Add alternative text to every image that carries information."),
            Block("check", "Caption every video; many people watch with the sound off."),
            Block("check", "Write hashtags in CamelCase (#FluShotFacts) so screen readers cope."),
            Block("check", "Never put key information only inside an image or a graphic."),
            Block("check", "Use enough colour contrast and avoid long runs of capital letters."),
            Block("h2", "4. Platform notes"),
            Block(
                "bullet",
                "community pages and groups, events, live question-and-answer sessions. "
                "Warm tone; families share posts with relatives.",
                lead="Facebook:",
            ),
            Block(
                "bullet",
                "short, timely posts and threads; useful for correcting misinformation quickly. "
                "Link to the source; expect strangers to reply.",
                lead="Twitter/X:",
            ),
            Block(
                "bullet",
                "colleagues, referrers and employers. Share pathways, research and service "
                "changes in a professional, evidence-led tone.",
                lead="LinkedIn:",
            ),
            Block("h2", "5. Before you press Post"),
            Block("check", "Re-read as a worried patient: is anything alarming or unclear?"),
            Block("check", "Check that every link works and points to the right page."),
            Block("check", "Confirm nothing in the text or image identifies a patient."),
            Block("check", "Disclose any conflict of interest, such as a paid role or a grant."),
            Block("check", "Follow your hospital's social media policy and approval steps."),
            Block("h2", "Worked example"),
            Block(
                "p",
                "“Influenza vaccination is indicated for all persons aged ≥6 months absent "
                "contraindications. Schedule via the portal.”",
                lead="Before:",
            ),
            Block(
                "p",
                "“Everyone 6 months and older should get a flu shot each year. It lowers your "
                "chance of getting very sick. Book yours in the patient portal today.”",
                lead="After:",
            ),
            Block(
                "p",
                "The rewrite keeps the facts, uses everyday words, explains why it matters and "
                "ends with one clear action.",
            ),
            Block("h2", "Your turn"),
            Block("field", "Rewrite one of your recent posts using this checklist:", lines=6),
        ),
    ),
    Handout(
        "privacy-before-you-post",
        PRIVACY,
        PRIVACY_ACCENT,
        "Before-you-post privacy checklist",
        "Protect patients' confidentiality and your professional standing.",
        (
            Block("h2", "What counts as identifying"),
            Block(
                "p",
                "Under HIPAA's Safe Harbor de-identification method, 18 kinds of identifier must "
                "be removed. They include names; addresses and other places smaller than a "
                "state; all parts of dates (except the year) related to a person, such as "
                "admission, discharge or birth dates; phone numbers and email addresses; medical "
                "record and account numbers; full-face photographs and comparable images; and "
                "any other unique identifying characteristic.",
            ),
            Block(
                "p",
                "A post can identify a patient without any of these: a rare condition, a "
                "distinctive tattoo, a local news story or the timing of a post can be enough "
                "for a neighbour or relative to recognise someone.",
            ),
            Block("h2", "Checklist for any post about clinical work"),
            Block("check", "I have the patient's written authorization on the hospital's form."),
            Block("check", "The patient knows where, and on which platforms, it will appear."),
            Block("check", "No faces, tattoos, jewellery or other distinctive features show."),
            Block(
                "check",
                "Nothing in the background identifies anyone: whiteboards, screens, wristbands, "
                "charts, labels, room or bed numbers.",
            ),
            Block("check", "No dates, ages over 89, locations or unusual details are mentioned."),
            Block("check", "Location tagging is off and the image has no location metadata."),
            Block("check", "I posted after a delay, so the timing does not point to a patient."),
            Block("check", "A colleague or the communications team has reviewed the post."),
            Block("h2", "Never"),
            Block("bullet", "Give individual medical advice in public comments or messages."),
            Block(
                "bullet",
                "Reply to an online review in a way that confirms the reviewer is, or was, a "
                "patient, or that mentions any detail of their care.",
            ),
            Block("bullet", "Accept friend requests from current patients on personal accounts."),
            Block("bullet", "Post about patients in closed groups because they feel private."),
            Block("bullet", "Use a patient's image to promote a service without authorization."),
            Block("h2", "Comments and messages"),
            Block(
                "p",
                "Thank the person, say you cannot discuss individual care on social media, and "
                "direct them to the patient portal, the clinic phone line, or 911 in an "
                "emergency. Keep replies general; never ask for clinical details in public.",
            ),
            Block(
                "p",
                "“Thank you for reaching out. We can't discuss personal health questions here, "
                "but our team would like to help: please message us through the patient portal "
                "or call the clinic. If this is an emergency, call 911.”",
                lead="Suggested reply:",
            ),
            Block("h2", "If something goes wrong"),
            Block("check", "Remove the post promptly, including any copies you control."),
            Block("check", "Record what was posted, where, when and for how long it was visible."),
            Block("check", "Tell the privacy officer the same day; follow the incident process."),
            Block("check", "Do not argue or explain in public; let the privacy team advise."),
            Block("h2", "Contacts"),
            Block("field", "Privacy officer (name, phone):", lines=1),
            Block("field", "Communications team (email, approval steps):", lines=1),
        ),
    ),
    Handout(
        "presence-30-day-plan",
        PRESENCE,
        PRESENCE_ACCENT,
        "30-day content plan and measurement worksheet",
        "Plan a month of useful posts and measure what changed for patients.",
        (
            Block("h2", "Step 1: set one goal"),
            Block(
                "p",
                "Pick one goal that is specific, measurable, achievable, relevant and "
                "time-bound. “Increase flu-clinic bookings from our community page by 10% in "
                "30 days” is a goal; “be more visible” is not.",
            ),
            Block("field", "My goal for the next 30 days:", lines=2),
            Block("field", "Who I want to reach, and on which platform:", lines=1),
            Block("h2", "Step 2: plan the four weeks"),
            Block(
                "check",
                "profile audit on every platform: photo, credentials, affiliation, disclaimer, "
                "link to the hospital's official page.",
                lead="Week 1:",
            ),
            Block(
                "check",
                "two evergreen posts answering the questions patients ask you most often.",
                lead="Week 2:",
            ),
            Block(
                "check",
                "engage: reply to comments with general information, share one colleague's "
                "post, join one professional conversation.",
                lead="Week 3:",
            ),
            Block(
                "check",
                "one timely post linked to the goal, then review the numbers below.",
                lead="Week 4:",
            ),
            Block(
                "p",
                "Schedule posts for when your audience is online, and block 15 minutes a day "
                "to read and reply. Get approval for any post your policy requires.",
            ),
            Block("h2", "Step 3: know what each number means"),
            Block("bullet", "how many times your post was shown on screen.", lead="Impressions:"),
            Block("bullet", "how many different accounts saw it at least once.", lead="Reach:"),
            Block(
                "bullet",
                "reactions, comments, shares, saves and clicks added together.",
                lead="Engagements:",
            ),
            Block(
                "bullet",
                "engagements divided by impressions. 60 engagements on 2,000 impressions is "
                "3%. Platforms define it differently; compare like with like.",
                lead="Engagement rate:",
            ),
            Block(
                "bullet",
                "link clicks divided by impressions: did people go to learn more?",
                lead="Click-through rate:",
            ),
            Block(
                "bullet",
                "appointments booked, screening sign-ups, portal messages, questions answered. "
                "These show patient benefit; follower counts alone do not.",
                lead="Outcome measures:",
            ),
            Block("h2", "Step 4: record your results"),
            Block("field", "Impressions and reach (start and end of month):", lines=1),
            Block("field", "Engagement rate of the best and the weakest post:", lines=1),
            Block("field", "Outcome measure linked to my goal:", lines=1),
            Block("field", "What I will keep, change or stop next month:", lines=3),
            Block("h2", "Good habits"),
            Block("check", "Disclose conflicts of interest in the post itself."),
            Block("check", "Keep a simple log of posts, dates and sources for review."),
            Block("check", "Review comments daily; hide or report abuse, do not argue."),
            Block("check", "Protect your time: measurement is monthly, not hourly."),
        ),
    ),
)


# --------------------------------------------------------------------------- helpers


def font(size: float, *, bold: bool = False, pixels: bool = True) -> QFont:
    """A sans-serif font of ``size`` pixels (or points when ``pixels`` is false)."""
    f = QFont()
    f.setFamilies(FONT_FAMILIES)
    if pixels:
        f.setPixelSize(round(size))
    else:
        f.setPointSizeF(size)
    f.setBold(bold)
    return f


def draw_text(
    p: QPainter,
    rect: QRectF,
    text: str,
    size: float,
    color: QColor,
    *,
    bold: bool = False,
    flags: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
) -> None:
    p.setFont(font(size, bold=bold))
    p.setPen(color)
    p.drawText(rect, int(flags) | int(Qt.TextFlag.TextWordWrap), text)


def new_image(width: int, height: int, fill: QColor) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(fill)
    return image


def antialiased(image: QImage) -> QPainter:
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    return p


def vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def write_vtt(path: Path, media: TimedMedia) -> None:
    """WebVTT captions: one cue per scene; the first cue also describes the chime."""
    lines = ["WEBVTT", ""]
    for index, scene in enumerate(media.scenes):
        start = index * media.seconds_per_scene
        end = start + media.seconds_per_scene
        text = f"[Soft chime]\n{scene.narration}" if index == 0 else scene.narration
        lines += [str(index + 1), f"{vtt_time(start)} --> {vtt_time(end)}", text, ""]
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------- audio


def bell(freq: float, t: float) -> float:
    """A soft bell: a few inharmonic partials with their own exponential decays."""
    if t < 0:
        return 0.0
    attack = min(1.0, t / 0.006)
    partials = ((1.0, 1.0, 2.4), (2.0, 0.45, 3.5), (2.76, 0.2, 5.0), (4.07, 0.08, 7.0))
    return attack * sum(
        amp * math.exp(-decay * t) * math.sin(2 * math.pi * freq * ratio * t)
        for ratio, amp, decay in partials
    )


def chime_track(media: TimedMedia, rate: int) -> array[int]:
    """16-bit samples: a bell at every scene start over a quiet fifth, faded at both ends."""
    total = round(media.seconds * rate)
    step = media.seconds_per_scene
    root = media.scenes[0].note / 4
    samples: array[int] = array("h")
    for n in range(total):
        t = n / rate
        scene = min(int(t // step), len(media.scenes) - 1)
        local = t - scene * step
        value = 0.42 * bell(media.scenes[scene].note, local)
        if scene > 0:
            value += 0.42 * bell(media.scenes[scene - 1].note, local + step)
        pad = 0.05 * (math.sin(2 * math.pi * root * t) + math.sin(2 * math.pi * root * 1.5 * t))
        fade = min(1.0, t / 0.25, (media.seconds - t) / 0.25)
        samples.append(round(32767 * max(-1.0, min(1.0, (value + pad) * fade))))
    return samples


def write_wav(path: Path, samples: array[int], rate: int) -> None:
    if sys.byteorder != "little":
        samples = array("h", samples)
        samples.byteswap()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())


# --------------------------------------------------------------------------- video


def video_frame(media: TimedMedia, t: float) -> QImage:
    """One frame: course label, the current headline (faded in and out), a progress bar."""
    width, height = VIDEO_SIZE
    accent = QColor(media.accent)
    image = new_image(width, height, accent)
    p = antialiased(image)
    gradient = QLinearGradient(0, 0, width, height)
    gradient.setColorAt(0.0, accent.darker(160))
    gradient.setColorAt(1.0, accent)
    p.fillRect(image.rect(), QBrush(gradient))

    pulse = 1.0 + 0.08 * math.sin(2 * math.pi * t / media.seconds_per_scene)
    p.setPen(QPen(QColor(255, 255, 255, 60), 2))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QPointF(width - 40, 40), 24 * pulse, 24 * pulse)
    p.drawEllipse(QPointF(width - 40, 40), 14 * pulse, 14 * pulse)

    draw_text(p, QRectF(14, 10, width - 80, 16), "ROUNDS", 10, QColor("#ffffff"), bold=True)
    draw_text(p, QRectF(14, 24, width - 80, 30), media.course, 9, QColor(255, 255, 255, 200))

    index = min(int(t // media.seconds_per_scene), len(media.scenes) - 1)
    local = t - index * media.seconds_per_scene
    p.setOpacity(max(0.0, min(1.0, local / 0.3, (media.seconds_per_scene - local) / 0.3)))
    centre = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter
    headline = media.scenes[index].headline
    draw_text(p, QRectF(20, 58, width - 40, 70), headline, 22, PAPER, bold=True, flags=centre)
    p.setOpacity(1.0)

    for dot in range(len(media.scenes)):
        colour = PAPER if dot == index else QColor(255, 255, 255, 90)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(QPointF(width / 2 + (dot - 1.5) * 14, height - 26), 3.5, 3.5)
    p.fillRect(QRectF(0, height - 6, width, 6), QColor(0, 0, 0, 70))
    p.fillRect(QRectF(0, height - 6, width * t / media.seconds, 6), PAPER)
    p.end()
    return image


def rgb_bytes(image: QImage) -> bytes:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    row = rgb.width() * 3
    data = bytes(rgb.constBits())
    stride = rgb.bytesPerLine()
    if stride == row:
        return data
    return b"".join(data[y * stride : y * stride + row] for y in range(rgb.height()))


def frames(media: TimedMedia) -> Iterator[bytes]:
    for n in range(round(media.seconds * VIDEO_FPS)):
        yield rgb_bytes(video_frame(media, n / VIDEO_FPS))


def find_ffmpeg(explicit: str | None) -> str:
    candidate = explicit or os.environ.get("FFMPEG") or shutil.which("ffmpeg")
    if not candidate or not Path(candidate).is_file():
        raise SystemExit(
            "ffmpeg not found: pass --ffmpeg PATH or set FFMPEG (see this script's docstring), "
            "or use --skip-video"
        )
    return candidate


def encode_video(ffmpeg: str, media: TimedMedia, out: Path) -> None:
    """Pipe raw frames to ffmpeg; mux with the chime soundtrack into a fast-start MP4."""
    width, height = VIDEO_SIZE
    with tempfile.TemporaryDirectory() as tmp:
        soundtrack = Path(tmp) / "soundtrack.wav"
        write_wav(soundtrack, chime_track(media, VIDEO_AUDIO_RATE), VIDEO_AUDIO_RATE)
        command = [
            ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}",
            "-r", str(VIDEO_FPS), "-i", "-",
            "-i", str(soundtrack),
            "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-profile:v", "baseline", "-level", "3.0",
            "-pix_fmt", "yuv420p", "-preset", "veryslow", "-crf", "27",
            "-g", str(VIDEO_FPS * 2), "-threads", "1",
            "-c:a", "aac", "-b:a", "32k", "-ac", "1",
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags", "+bitexact",
            "-movflags", "+faststart", str(out),
        ]  # fmt: skip
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdin is not None
        for frame in frames(media):
            process.stdin.write(frame)
        _, errors = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"ffmpeg failed for {out.name}: {errors.decode(errors='replace')}")


# --------------------------------------------------------------------------- figures


def draw_card(p: QPainter, rect: QRectF, accent: QColor, title: str, rows: Sequence[str]) -> None:
    path = QPainterPath()
    path.addRoundedRect(rect, 10, 10)
    p.fillPath(path, PAPER)
    p.setPen(QPen(QColor("#d9e2ec"), 1))
    p.drawPath(path)
    band = QRectF(rect.left(), rect.top(), rect.width(), 44)
    band_path = QPainterPath()
    band_path.addRoundedRect(band, 10, 10)
    p.fillPath(band_path, accent)
    p.fillRect(QRectF(band.left(), band.top() + 20, band.width(), 24), accent)
    centre = Qt.AlignmentFlag.AlignCenter
    draw_text(p, band, title, 18, PAPER, bold=True, flags=centre)
    y = rect.top() + 58
    for label, value in (row.split("|", 1) for row in rows):
        draw_text(p, QRectF(rect.left() + 14, y, rect.width() - 28, 16), label, 11, MUTED)
        draw_text(p, QRectF(rect.left() + 14, y + 15, rect.width() - 28, 40), value, 13, INK)
        y += 66


def figure_platforms(image: QImage) -> None:
    """Three platforms, three conversations: audience, best use and tone of each."""
    p = antialiased(image)
    width = image.width()
    draw_text(
        p,
        QRectF(24, 16, width - 48, 30),
        "Three platforms, three conversations",
        22,
        INK,
        bold=True,
    )
    cards = (
        ("Facebook", "#1565c0", ("Audience|Patients, families, local community",
                                 "Works well for|Groups, events, live Q&A",
                                 "Tone|Warm, plain, reassuring")),
        ("Twitter/X", "#263238", ("Audience|Public, journalists, advocates",
                                  "Works well for|Threads, news, myth-busting",
                                  "Tone|Short, sourced, timely")),
        ("LinkedIn", "#0a66c2", ("Audience|Colleagues, referrers, employers",
                                 "Works well for|Pathways, research, careers",
                                 "Tone|Professional, evidence-led")),
    )  # fmt: skip
    card_width = (width - 48 - 2 * 16) / 3
    for index, (title, colour, rows) in enumerate(cards):
        left = 24 + index * (card_width + 16)
        draw_card(p, QRectF(left, 60, card_width, 280), QColor(colour), title, rows)
    p.end()


def marker(p: QPainter, centre: QPointF, number: int) -> None:
    p.setPen(QPen(PAPER, 2))
    p.setBrush(ALERT)
    p.drawEllipse(centre, 11, 11)
    rect = QRectF(centre.x() - 11, centre.y() - 11, 22, 22)
    draw_text(p, rect, str(number), 12, PAPER, bold=True, flags=Qt.AlignmentFlag.AlignCenter)


def figure_identifiers(image: QImage) -> None:
    """A ward photo with the details that can identify a patient circled and numbered."""
    p = antialiased(image)
    draw_text(
        p, QRectF(24, 14, 600, 30), "Check the whole frame before you post", 22, INK, bold=True
    )
    photo = QRectF(24, 56, 330, 284)
    p.fillRect(photo, QColor("#e3ecf5"))
    p.fillRect(QRectF(photo.left(), photo.top() + 200, photo.width(), 84), QColor("#cfd8e3"))
    # whiteboard with names and bed numbers
    board = QRectF(44, 76, 150, 86)
    p.fillRect(board, PAPER)
    p.setPen(QPen(QColor("#9fb3c8"), 2))
    p.drawRect(board)
    p.setPen(QPen(QColor("#1e5aa8"), 2))
    for row in range(4):
        y = board.top() + 18 + row * 18
        p.drawLine(QPointF(board.left() + 12, y), QPointF(board.left() + 40, y))
        p.drawLine(QPointF(board.left() + 52, y), QPointF(board.right() - 14 - row * 12, y))
    # monitor showing a record
    screen = QRectF(232, 84, 100, 64)
    p.fillRect(screen, QColor("#263238"))
    p.setPen(QPen(QColor("#4dd0e1"), 2))
    for row in range(3):
        y = screen.top() + 16 + row * 15
        p.drawLine(QPointF(screen.left() + 10, y), QPointF(screen.right() - 10 - row * 14, y))
    p.fillRect(QRectF(276, 148, 12, 18), QColor("#607d8b"))
    # bed and patient silhouette with a wristband and a tattoo
    p.fillRect(QRectF(60, 236, 260, 40), PAPER)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#8d6e63"))
    p.drawEllipse(QPointF(96, 222), 20, 20)
    p.setBrush(QColor("#90a4ae"))
    p.drawRoundedRect(QRectF(116, 214, 170, 30), 12, 12)
    p.setBrush(QColor("#8d6e63"))
    p.drawRoundedRect(QRectF(200, 244, 80, 14), 7, 7)
    p.setBrush(QColor("#fff59d"))
    p.drawRect(QRectF(262, 243, 8, 16))
    p.setBrush(QColor("#455a64"))
    p.drawEllipse(QPointF(224, 251), 5, 4)
    # location tag and timestamp overlay
    p.fillRect(QRectF(34, 306, 200, 24), QColor(0, 0, 0, 150))
    draw_text(p, QRectF(42, 310, 190, 20), "Ward 4B  ·  Tue 7:42 AM", 12, PAPER)

    for number, centre in enumerate(
        (
            QPointF(194, 78),
            QPointF(334, 86),
            QPointF(268, 268),
            QPointF(96, 196),
            QPointF(236, 306),
        ),
        start=1,
    ):
        marker(p, centre, number)

    legend = (
        "Whiteboards: names, bed and room numbers",
        "Screens showing records or schedules",
        "Wristbands, labels, tattoos, jewellery",
        "Faces and distinctive features",
        "Location tags, timestamps, metadata",
    )
    for index, text in enumerate(legend):
        y = 74 + index * 52
        marker(p, QPointF(384, y + 10), index + 1)
        draw_text(p, QRectF(404, y, 216, 44), text, 14, INK)
    p.end()


def figure_profile(image: QImage) -> None:
    """A mock professional profile with what makes it trustworthy labelled around it."""
    p = antialiased(image)
    draw_text(p, QRectF(24, 14, 600, 30), "Anatomy of a trustworthy profile", 22, INK, bold=True)
    card = QRectF(170, 58, 300, 282)
    path = QPainterPath()
    path.addRoundedRect(card, 10, 10)
    p.fillPath(path, PAPER)
    p.setPen(QPen(QColor("#d9e2ec"), 1))
    p.drawPath(path)
    p.fillRect(QRectF(card.left() + 1, card.top() + 1, card.width() - 2, 60), QColor("#b2dfdb"))
    p.setPen(QPen(PAPER, 4))
    p.setBrush(QColor("#00796b"))
    p.drawEllipse(QPointF(card.left() + 56, card.top() + 70), 34, 34)
    draw_text(
        p,
        QRectF(card.left() + 22, card.top() + 46, 68, 48),
        "AR",
        24,
        PAPER,
        bold=True,
        flags=Qt.AlignmentFlag.AlignCenter,
    )
    x = card.left() + 18
    draw_text(p, QRectF(x, card.top() + 112, 270, 22), "Dr. Alex Rivera, MD", 17, INK, bold=True)
    draw_text(
        p,
        QRectF(x, card.top() + 136, 270, 36),
        "Family physician · Lakeview Memorial Hospital, Chicago",
        12,
        MUTED,
    )
    draw_text(
        p,
        QRectF(x, card.top() + 176, 270, 40),
        "I share practical, evidence-based tips on preventive care and healthy families.",
        12,
        INK,
    )
    p.fillRect(QRectF(x, card.top() + 222, 264, 30), QColor("#e0f2f1"))
    draw_text(
        p,
        QRectF(x + 6, card.top() + 224, 256, 28),
        "Views are my own. Not medical advice. In an emergency, call 911.",
        10,
        INK,
    )
    draw_text(
        p,
        QRectF(x, card.top() + 258, 270, 18),
        "lakeviewmemorial.example/rivera",
        11,
        QColor("#00796b"),
        bold=True,
    )

    labels = (
        (QRectF(12, 84, 140, 40), "Clear, recent headshot", QPointF(card.left() + 22, 128)),
        (QRectF(12, 164, 140, 56), "Name, credentials and affiliation", QPointF(x, 190)),
        (QRectF(488, 224, 140, 56), "What you post about", QPointF(card.right() - 12, 254)),
        (QRectF(12, 268, 140, 56), "Disclaimer and emergency advice", QPointF(x, 295)),
        (QRectF(488, 296, 140, 40), "Link to official page", QPointF(card.right() - 70, 322)),
    )
    for rect, text, target in labels:
        draw_text(p, rect, text, 13, INK, bold=True)
        anchor_x = rect.right() + 6 if rect.left() < card.left() else rect.left() - 6
        p.setPen(QPen(QColor("#00796b"), 1.5))
        p.drawLine(QPointF(anchor_x, rect.top() + 9), target)
        p.setBrush(QColor("#00796b"))
        p.drawEllipse(target, 3, 3)
    p.end()


FIGURES: tuple[tuple[str, Callable[[QImage], None]], ...] = (
    ("foundations-platforms.png", figure_platforms),
    ("privacy-identifiers.png", figure_identifiers),
    ("presence-profile.png", figure_profile),
)


def write_figure(path: Path, draw: Callable[[QImage], None]) -> None:
    image = new_image(*FIGURE_SIZE, WASH)
    draw(image)
    if not image.save(str(path), quality=0):
        raise SystemExit(f"could not write {path}")


# --------------------------------------------------------------------------- handouts

PAGE_W, PAGE_H = 612.0, 792.0  # US Letter in points; the writer is set to 72 dpi
MARGIN = 54.0
BODY_TOP_FIRST = 150.0
BODY_TOP = 84.0
BODY_BOTTOM = PAGE_H - 60.0
INDENT = 20.0
LISTS = ("check", "bullet")


@dataclass
class Placed:
    block: Block
    document: QTextDocument
    x: float
    y: float


def block_html(block: Block, accent: str) -> str:
    text = html.escape(block.text)
    lead = f"<b>{html.escape(block.lead)}</b> " if block.lead else ""
    if block.kind == "h2":
        return f'<span style="color:{accent}; font-weight:bold">{text}</span>'
    return lead + text


def block_document(writer: QPdfWriter, block: Block, accent: str) -> QTextDocument:
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    document.setDocumentMargin(0)
    document.setDefaultFont(font(13 if block.kind == "h2" else 10, pixels=False))
    document.setHtml(block_html(block, accent))
    indented = block.kind in LISTS
    document.setTextWidth(PAGE_W - 2 * MARGIN - (INDENT if indented else 0))
    return document


def block_height(block: Block, document: QTextDocument) -> float:
    height = document.size().height()
    if block.kind == "field":
        height += 22 * block.lines
    spacing = {"h2": 16.0, "p": 8.0, "field": 10.0}.get(block.kind, 5.0)
    return height + spacing


def layout(writer: QPdfWriter, handout: Handout) -> list[list[Placed]]:
    """Flow the blocks onto pages; a heading never ends a page without what follows it."""
    documents = [block_document(writer, b, handout.accent) for b in handout.blocks]
    heights = [block_height(b, d) for b, d in zip(handout.blocks, documents, strict=True)]
    pages: list[list[Placed]] = [[]]
    y = BODY_TOP_FIRST
    for index, (block, document) in enumerate(zip(handout.blocks, documents, strict=True)):
        needed = heights[index]
        if block.kind == "h2" and index + 1 < len(heights):
            needed += heights[index + 1]
            y += 6 if pages[-1] else 0
        elif index and block.kind in ("p", "field") and handout.blocks[index - 1].kind in LISTS:
            y += 6
        if y + needed > BODY_BOTTOM and pages[-1]:
            pages.append([])
            y = BODY_TOP
        x = MARGIN + (INDENT if block.kind in LISTS else 0)
        pages[-1].append(Placed(block, document, x, y))
        y += heights[index]
    return pages


def fitted_font(p: QPainter, text: str, size: float, width: float) -> QFont:
    """The largest bold font up to ``size`` points in which ``text`` fits on one line."""
    f = font(size, bold=True, pixels=False)
    while size > 12 and QFontMetricsF(f, p.device()).horizontalAdvance(text) > width:
        size -= 0.5
        f = font(size, bold=True, pixels=False)
    return f


def paint_first_header(p: QPainter, handout: Handout) -> None:
    p.fillRect(QRectF(0, 0, PAGE_W, 118), QColor(handout.accent))
    p.setPen(QColor(255, 255, 255, 210))
    p.setFont(font(9, bold=True, pixels=False))
    p.drawText(QRectF(MARGIN, 30, PAGE_W - 2 * MARGIN, 14), "ROUNDS  ·  HANDOUT")
    p.setPen(PAPER)
    p.setFont(fitted_font(p, handout.title, 21, PAGE_W - 2 * MARGIN))
    p.drawText(QRectF(MARGIN, 46, PAGE_W - 2 * MARGIN, 30), handout.title)
    p.setFont(font(11, pixels=False))
    p.drawText(QRectF(MARGIN, 80, PAGE_W - 2 * MARGIN, 20), handout.subtitle)


def paint_running_header(p: QPainter, handout: Handout) -> None:
    p.setPen(MUTED)
    p.setFont(font(9, pixels=False))
    p.drawText(QRectF(MARGIN, 40, PAGE_W - 2 * MARGIN, 14), handout.title)
    p.setPen(QPen(QColor(handout.accent), 1.5))
    p.drawLine(QPointF(MARGIN, 58), QPointF(PAGE_W - MARGIN, 58))


def paint_footer(p: QPainter, handout: Handout, page: int, pages: int) -> None:
    p.setPen(QPen(QColor("#d9e2ec"), 1))
    p.drawLine(QPointF(MARGIN, PAGE_H - 44), QPointF(PAGE_W - MARGIN, PAGE_H - 44))
    p.setPen(MUTED)
    p.setFont(font(8, pixels=False))
    rect = QRectF(MARGIN, PAGE_H - 38, PAGE_W - 2 * MARGIN, 14)
    p.drawText(rect, int(Qt.AlignmentFlag.AlignLeft), f"Rounds  ·  {handout.course}")
    p.drawText(rect, int(Qt.AlignmentFlag.AlignRight), f"Page {page} of {pages}")


def paint_block(p: QPainter, placed: Placed, accent: str) -> None:
    block = placed.block
    if block.kind == "check":
        p.setPen(QPen(QColor(accent), 1.2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(MARGIN + 1, placed.y + 2.5, 9, 9))
    elif block.kind == "bullet":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(accent))
        p.drawEllipse(QPointF(MARGIN + 5, placed.y + 7), 2.2, 2.2)
    p.save()
    p.translate(placed.x, placed.y)
    placed.document.drawContents(p)
    p.restore()
    if block.kind == "field":
        p.setPen(QPen(QColor("#9fb3c8"), 0.8))
        top = placed.y + placed.document.size().height()
        for line in range(block.lines):
            y = top + 20 + line * 22
            p.drawLine(QPointF(MARGIN, y), QPointF(PAGE_W - MARGIN, y))


def write_handout(path: Path, handout: Handout) -> int:
    """Write the handout PDF and return its page count."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setResolution(72)
    writer.setTitle(handout.title)
    writer.setCreator("Rounds sample curriculum")
    pages = layout(writer, handout)
    p = QPainter(writer)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    for number, placements in enumerate(pages, start=1):
        if number > 1:
            writer.newPage()
            paint_running_header(p, handout)
        else:
            paint_first_header(p, handout)
        for placed in placements:
            paint_block(p, placed, handout.accent)
        paint_footer(p, handout, number, len(pages))
    p.end()
    return len(pages)


# --------------------------------------------------------------------------- main


def report(path: Path, detail: str = "") -> None:
    print(f"{path.name:<44} {path.stat().st_size:>8} bytes  {detail}".rstrip())


def generate(out: Path, ffmpeg: str | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for media in VIDEOS:
        if ffmpeg:
            encode_video(ffmpeg, media, out / f"{media.stem}.mp4")
            report(out / f"{media.stem}.mp4", f"{media.seconds:g} s")
        write_vtt(out / f"{media.stem}.en.vtt", media)
        report(out / f"{media.stem}.en.vtt")
    for media in AUDIOS:
        write_wav(out / f"{media.stem}.wav", chime_track(media, AUDIO_RATE), AUDIO_RATE)
        report(out / f"{media.stem}.wav", f"{media.seconds:g} s")
        write_vtt(out / f"{media.stem}.en.vtt", media)
        report(out / f"{media.stem}.en.vtt")
    for name, draw in FIGURES:
        write_figure(out / name, draw)
        report(out / name)
    for handout in HANDOUTS:
        pages = write_handout(out / f"{handout.stem}.pdf", handout)
        report(out / f"{handout.stem}.pdf", f"{pages} pages")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--ffmpeg", help="ffmpeg executable with libx264 (for the videos)")
    parser.add_argument("--skip-video", action="store_true", help="leave the MP4 files alone")
    args = parser.parse_args(argv)
    ffmpeg = None if args.skip_video else find_ffmpeg(args.ffmpeg)
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    generate(args.out, ffmpeg)
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
