"""The safety notice a user accepts once (SPEC §8), shown by the first run and Help and
printed in the clinician report: one text, so every face says the same."""

from __future__ import annotations

SAFETY_NOTICE = (
    "acuplan is not medical advice. It helps you plan gentle, needle-free self-care "
    "at home: fingertip acupressure, gua sha and jade rolling. It applies cautious "
    "spacing rules, but it cannot examine your skin.\n"
    "\n"
    "Needle-free only: never use needles, press needles, dermal rollers, derma stamps "
    "or microneedling with these routines.\n"
    "\n"
    "Stop at once and seek care if you notice swelling of the lips, tongue or throat, "
    "trouble breathing, a change in vision or eye pain, fainting, fever, pus, warmth "
    "with strong redness, redness that spreads, or skin turning pale. Call emergency "
    "services for throat swelling, breathing trouble, a change in vision, or "
    "fainting.\n"
    "\n"
    "Never press on the eyes or eyelids, inside the nose or mouth, or on the lips. "
    "Skip broken, inflamed or infected skin, moles, warts and fresh scars.\n"
    "\n"
    "If you are pregnant, take blood thinners, have a bleeding disorder or a skin "
    "condition, recently had injectables or a procedure, or are unsure in any way, "
    "ask a doctor, dermatologist or licensed practitioner first."
)

__all__ = ["SAFETY_NOTICE"]
