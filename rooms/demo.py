"""Demo data: the certified rooms of Caen's seeds and Strasbourg's salle PIX du Patio.
Safe to run again (rooms are found by site and name)."""

import datetime as dt

from .models import Room, Site

# site, address, building, room, seats
DEMO_ROOMS = [
    (
        "Caen Campus 1",
        "Esplanade de la Paix, 14000 Caen",
        "Bâtiment D (Droit)",
        "Mercure (DR S03)",
        37,
    ),
    (
        "Caen Campus 1",
        "Esplanade de la Paix, 14000 Caen",
        "Bâtiment D (Droit)",
        "Neptune (DR S04)",
        80,
    ),
    ("Caen Campus 1", "Esplanade de la Paix, 14000 Caen", "Bâtiment M", "Venus (SC S36)", 50),
    ("Caen Campus 1", "Esplanade de la Paix, 14000 Caen", "Bâtiment M", "Jupiter (SC S37)", 18),
    ("Campus d'Alençon", "Alençon", "", "Salle B100", 30),
    ("Campus de Saint-Lô", "Saint-Lô", "", "ENB (SO S41)", 28),
    ("Campus de Saint-Lô", "Saint-Lô", "", "S. Multimédia (SO 034)", 31),
    (
        "Strasbourg — Patio",
        "Campus Esplanade, Strasbourg",
        "Bâtiment 4, sous-sol",
        "Salle PIX du Patio",
        30,
    ),
]
PATIO_NOTE = "Nombre de places non donné par les sources de l'université : à vérifier."


def load_rooms_demo(year) -> list[Room]:
    """Every room certified until the end of ``year`` (an AcademicYear)."""
    rooms = []
    for site_name, address, building, name, seats in DEMO_ROOMS:
        site, _ = Site.objects.update_or_create(name=site_name, defaults={"address": address})
        room, _ = Room.objects.update_or_create(
            site=site,
            name=name,
            defaults={
                "building": building,
                "seats": seats,
                "certified_until": max(year.end, dt.date(year.end.year, 8, 31)),
                "wheelchair_accessible": name != "Jupiter (SC S37)",
                "notes": PATIO_NOTE if name == "Salle PIX du Patio" else "",
            },
        )
        rooms.append(room)
    return rooms
