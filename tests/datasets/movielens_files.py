"""Tiny MovieLens files in the exact GroupLens formats, written by tests."""

from pathlib import Path

GENRE_COUNT_100K = 19


def _flags(*columns):
    return "|".join("1" if c in columns else "0" for c in range(19))


FILES_100K = {
    "u.data": "3\t20\t4\t881250949\n1\t10\t5\t874965758\n3\t10\t2\t882397596\n",
    "u.user": (
        "1|24|M|technician|85711\n3|53|F|other|94043\n2|17|M|writer|32067\n"
    ),
    "u.item": (
        f"20|Film B (1996)|01-Jan-1996||http://b|{_flags(8)}\n"
        f"10|Film A (1995)|01-Jan-1995||http://a|{_flags(1, 5)}\n"
        f"30|Caf\xe9 (1997)|01-Jan-1997||http://c|{_flags(0)}\n"
    ),
}

FILES_1M = {
    "ratings.dat": "1::20::4::978300760\n2::10::3::978302109\n",
    "users.dat": "1::F::1::10::48067\n2::M::56::16::70072\n",
    "movies.dat": (
        "10::Film A (1995)::Animation|Children's\n"
        "20::Film B (1995)::Comedy\n"
        "30::Caf\xe9 (1997)::Comedy|Animation\n"
    ),
}

FILES_LATEST_SMALL = {
    "ratings.csv": (
        "userId,movieId,rating,timestamp\n"
        "5,100,4.5,964982703\n"
        "1,100,3.0,964981247\n"
        "5,7,0.5,964982224\n"
    ),
    "movies.csv": (
        "movieId,title,genres\n"
        '100,"American President, The (1995)",Comedy|Drama|Romance\n'
        "7,Sabrina (1995),(no genres listed)\n"
    ),
    "tags.csv": (
        "userId,movieId,tag,timestamp\n"
        "9,7,funny,1445714994\n"
        '5,100,"dark, slow",1445714996\n'
    ),
}

ENCODINGS = {
    "u.item": "latin-1",
    "u.user": "latin-1",
    "movies.dat": "latin-1",
    "users.dat": "latin-1",
}


def write_files(folder: Path, files: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        encoding = ENCODINGS.get(name, "utf-8")
        (folder / name).write_bytes(text.encode(encoding))
    return folder
