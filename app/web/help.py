"""The "Bantuan" panel of every main page: what the page is for, the steps, what happens next.

One table keyed by endpoint, rendered by one template (`kinerja/_help.html`, included by the base
layout), so a page gains help by gaining an entry here and the texts can be read and reviewed in
one place. `terms` name glossary anchors (`app.domain.glossary`) the panel links to.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request


@dataclass(frozen=True)
class Help:
    purpose: str
    steps: tuple[str, ...]
    then: str
    terms: tuple[str, ...] = ()


_LIST = "Cari dengan filter di atas tabel; klik baris untuk melihat rinciannya."

HELP: dict[str, Help] = {
    "KinerjaIndexView.index": Help(
        "Beranda: semua pekerjaan yang menunggu Anda, menurut peran Anda.",
        (
            "Klik sebuah tugas untuk langsung membuka halamannya.",
            "Angka di kiri tugas adalah jumlah yang masih menunggu.",
        ),
        "Tugas yang selesai hilang dari daftar ini dengan sendirinya.",
        ("skp", "pejabat-penilai"),
    ),
    "SkpView.mine": Help(
        "SKP Saya: rencana hasil kerja (RHK) Anda untuk periode terpilih.",
        (
            "Tambahkan RHK beserta indikator kinerja individu (IKI) dan targetnya.",
            "Tandai RHK utama dan tambahan.",
            "Ajukan SKP kepada pejabat penilai.",
        ),
        "Pejabat penilai menyetujui SKP atau mengembalikannya dengan catatan.",
        ("skp", "rhk", "iki", "pejabat-penilai"),
    ),
    "SkpView.show": Help(
        "Rincian sebuah SKP: RHK, IKI, target, dan ekspektasi khusus pimpinan.",
        ("Periksa setiap RHK dan targetnya.", "Setujui atau kembalikan dengan catatan."),
        "SKP yang disetujui menjadi dasar penilaian periode ini.",
        ("skp", "rhk", "ekspektasi-khusus"),
    ),
    "PortalView.index": Help(
        "Dasbor Kinerja Saya: predikat periode terpilih, alasannya, dan riwayat kinerja Anda.",
        (
            "Catat realisasi bulanan dan unggah bukti dukung.",
            "Baca alasan predikat dalam kalimat sehari-hari.",
            "Bila tidak setuju dengan hasil, ajukan keberatan dalam batas waktunya.",
        ),
        "Pejabat penilai memberi umpan balik atas realisasi Anda dan menilai di akhir periode.",
        ("realisasi", "umpan-balik", "predikat-kinerja", "keberatan"),
    ),
    "PortalView.employee": Help(
        "Dasbor kinerja seorang pegawai yang Anda bina atau kelola.",
        ("Baca realisasi dan bukti dukungnya.", "Beri umpan balik pada realisasi bulanan."),
        "Umpan balik Anda tampil di dasbor pegawai itu.",
        ("realisasi", "umpan-balik"),
    ),
    "PortalView.guide": Help(
        "Cara penilaian kinerja: aturan yang berlaku pada periode terpilih, dalam kalimat.",
        (
            "Pilih periode di atas.",
            "Baca aspek, aturan tingkat, matriks predikat, dan akibatnya.",
            "Unduh PDF untuk dicetak.",
        ),
        "Bila aturan diubah dan diterbitkan, halaman ini ikut berubah.",
        ("ekspektasi", "predikat-kinerja", "tpp", "angka-kredit"),
    ),
    "GlossaryView.index": Help(
        "Glosarium: arti istilah peraturan kinerja ASN yang dipakai aplikasi.",
        ("Cari istilah dengan Ctrl+F.", "Dasar hukum tertulis di bawah setiap istilah."),
        "Tautan istilah di halaman lain mengarah ke sini.",
        (),
    ),
    "RatingFormView.team": Help(
        "Tim Saya: pegawai yang Anda nilai pada periode terpilih dan kemajuan penilaiannya.",
        (
            "Pilih pegawai untuk membuka formulir penilaian.",
            "Perhatikan pola distribusi predikat unit Anda.",
        ),
        "Penilaian yang diajukan langsung menghasilkan predikat di dasbor pegawai.",
        ("pejabat-penilai", "kurva-distribusi", "predikat-organisasi"),
    ),
    "RatingFormView.form": Help(
        "Formulir penilaian: nilai setiap RHK dan setiap perilaku BerAKHLAK terhadap ekspektasi.",
        (
            "Baca realisasi, bukti dukung, dan masukan rekan kerja.",
            "Pilih tingkat tiap butir; pratinjau menunjukkan predikat yang akan dihasilkan.",
            "Simpan sebagai draf atau ajukan.",
        ),
        "Setelah diajukan, pegawai melihat predikat dan alasannya; ia dapat mengajukan keberatan.",
        ("ekspektasi", "berakhlak", "rekan-kerja", "predikat-kinerja"),
    ),
    "PeerView.index": Help(
        "Rekan penilai: rekan kerja yang diminta memberi masukan, dan yang harus Anda nilai.",
        ("Tetapkan rekan penilai bagi bawahan Anda.", "Isi masukan untuk rekan yang ditugaskan."),
        "Masukan rekan menjadi bahan pejabat penilai; pejabat penilai yang memutuskan.",
        ("rekan-kerja", "berakhlak"),
    ),
    "PeerView.ratee": Help(
        "Masukan Anda sebagai rekan kerja untuk seorang pegawai.",
        ("Pilih tingkat tiap perilaku.", "Kirim masukan."),
        "Pejabat penilai pegawai itu membaca masukan Anda sebelum menilai.",
        ("rekan-kerja", "berakhlak"),
    ),
    "PeriodLifecycleView.index": Help(
        "Periode penilaian: membuat, membuka, menutup periode.",
        (
            "Buat periode beserta tanggalnya.",
            "Buka periode agar pegawai dapat menyusun SKP.",
            "Tutup periode setelah penilaian selesai.",
        ),
        "Menutup periode mengevaluasi semua pegawai dan mengunci hasilnya.",
        ("skp", "predikat-kinerja"),
    ),
    "PeriodLifecycleView.show": Help(
        "Rincian periode: status, aturan yang disematkan, dan langkah berikutnya.",
        ("Periksa kesiapan periode.", "Pindahkan status periode bila sudah siap."),
        "Perubahan status diberitahukan kepada pegawai yang terdampak.",
        (),
    ),
    "PeriodLifecycleView.readiness": Help(
        "Kemajuan periode per SKPA: SKP, penilaian, dan keberatan yang belum selesai.",
        ("Klik angka untuk melihat siapa yang tertinggal.", "Ingatkan unit yang tertinggal."),
        "Periode dapat ditutup setelah semua penilaian selesai.",
        ("skpa",),
    ),
    "PeriodLifecycleView.behind": Help(
        "Daftar pegawai yang tertinggal pada periode ini.",
        ("Saring menurut SKPA dan tahap.", "Unduh daftar bila perlu."),
        "Daftar ini berkurang begitu pegawai menyelesaikan tahapnya.",
        ("skpa",),
    ),
    "PeriodLifecycleView.summary": Help(
        "Ringkasan hasil periode: sebaran predikat per SKPA.",
        ("Bandingkan sebaran dengan pola distribusi.",),
        "Ringkasan ini dasar laporan pimpinan.",
        ("kurva-distribusi", "skpa"),
    ),
    "PeriodRulesetView.repin_form": Help(
        "Menyematkan versi aturan terbit pada periode yang terbuka.",
        ("Pilih periode dan versi aturan.", "Jalankan penyematan ulang."),
        "Hasil periode dihitung ulang dengan aturan yang baru disematkan.",
        (),
    ),
    "RuleSetView.index": Help(
        "Aturan penilaian: versi yang terbit, draf, dan riwayatnya.",
        (
            "Buat draf dari versi terbit.",
            "Ubah bobot atau teks aturan.",
            "Uji dengan simulasi, lalu terbitkan.",
        ),
        "Versi terbit berlaku setelah disematkan pada periode oleh Kepegawaian.",
        (),
    ),
    "RuleSetView.show": Help(
        "Satu versi aturan: isi, status, dan tindakan yang tersedia.",
        ("Periksa isi aturan.", "Simulasikan atau terbitkan draf."),
        "Aturan terbit tampil bagi pegawai di halaman Cara Penilaian Kinerja.",
        (),
    ),
    "RuleSetView.editor": Help(
        "Penyunting teks aturan (YAML).",
        ("Ubah teks; pemeriksa menunjukkan kesalahan per baris.", "Simpan sebagai draf."),
        "Draf yang tersimpan dapat disimulasikan dan dibandingkan.",
        (),
    ),
    "RuleSetView.weights": Help(
        "Bobot penilai: seberapa besar masukan tiap pihak dihitung.",
        ("Ubah angka bobot.", "Simpan sebagai draf baru."),
        "Jalankan simulasi untuk melihat akibatnya.",
        ("rekan-kerja",),
    ),
    "RulesDocView.index": Help(
        "Panduan bahasa aturan (docs/rules.md): fakta, operator, dan bagian aturan.",
        ("Baca bagian yang ingin diubah.", "Ubah aturan lewat formulir atau penyunting."),
        "Setiap draf diperiksa terhadap panduan ini sebelum dapat diterbitkan.",
        (),
    ),
    "RuleSetView.diff": Help(
        "Perbandingan dua versi aturan.",
        ("Pilih dua versi.", "Baca baris yang berubah."),
        "Terbitkan draf bila perubahannya sudah benar.",
        (),
    ),
    "RuleSetView.simulation": Help(
        "Simulasi: akibat sebuah draf pada predikat periode yang sudah dinilai.",
        ("Pilih periode sasaran.", "Bandingkan sebaran sebelum dan sesudah."),
        "Bila hasilnya sesuai, terbitkan draf.",
        ("predikat-kinerja", "kurva-distribusi"),
    ),
    "AppealView.index": Help(
        "Keberatan atas hasil penilaian: mengajukan dan memutus.",
        (
            "Pegawai menulis alasan keberatan dalam batas waktu.",
            "Atasan pejabat penilai memutus: dikabulkan atau ditolak.",
        ),
        "Keputusan dicatat dan diberitahukan kepada pegawai.",
        ("keberatan", "atasan-pejabat-penilai"),
    ),
    "DialogView.thread": Help(
        "Dialog kinerja antara pegawai dan pejabat penilai selama periode.",
        ("Tulis catatan dialog atau bimbingan.", "Baca tanggapan pihak lain."),
        "Ringkasannya tampil di dasbor dan di formulir penilaian.",
        ("dialog-kinerja",),
    ),
    "ExpectationView.show": Help(
        "Ekspektasi khusus pimpinan untuk tiap nilai BerAKHLAK pada SKP.",
        ("Tulis harapan untuk tiap nilai.", "Simpan."),
        "Pegawai membacanya pada SKP-nya.",
        ("ekspektasi-khusus", "berakhlak"),
    ),
    "ReportView.index": Help(
        "Dokumen dan ekspor: PDF evaluasi kinerja dan ekspor hasil unit.",
        ("Pilih periode dan pegawai atau unit.", "Unduh berkasnya."),
        "Ekspor besar dibuat di latar belakang; halaman kemajuan menunjukkan bila selesai.",
        ("skpa",),
    ),
    "NotificationView.index": Help(
        "Pemberitahuan untuk Anda.",
        ("Klik pemberitahuan untuk membuka halamannya.",),
        "Pemberitahuan yang dibuka ditandai sudah dibaca.",
        (),
    ),
    "EmployeeImportView.form": Help(
        "Impor pegawai dari berkas XLSX atau CSV.",
        ("Unggah berkas sesuai templat.", "Periksa hasil pemeriksaan baris."),
        "Pegawai yang diimpor dapat masuk dan menyusun SKP.",
        ("pppk", "skpa"),
    ),
    "EmployeeModelView.list": Help(
        "Data pegawai: jabatan, unit, pejabat penilai, status kepegawaian.",
        (_LIST,),
        "Perubahan atasan memengaruhi siapa yang menilai siapa.",
        ("pejabat-penilai", "pppk", "jenjang"),
    ),
    "UnitModelView.list": Help(
        "Unit kerja dan SKPA.",
        (_LIST,),
        "Unit menentukan pola distribusi yang berlaku bagi pegawainya.",
        ("skpa",),
    ),
    "PositionModelView.list": Help(
        "Jabatan: jenis, jenjang, dan unitnya.",
        (_LIST,),
        "Jenjang jabatan fungsional menentukan koefisien angka kredit.",
        ("jenjang", "angka-kredit"),
    ),
    "IndicatorModelView.list": Help(
        "Indikator yang dinilai: nilai BerAKHLAK dan indikator lokal.",
        (_LIST,),
        "Aturan penilaian memakai indikator ini pada aspeknya.",
        ("berakhlak",),
    ),
    "RatingModelView.list": Help(
        "Daftar penilaian yang sudah diberikan.",
        (_LIST,),
        "Penilaian yang diajukan menjadi dasar hasil evaluasi.",
        (),
    ),
    "EvaluationModelView.list": Help(
        "Hasil evaluasi pegawai: predikat dan akibatnya.",
        (_LIST,),
        "Hasil tetap setelah periode ditutup.",
        ("predikat-kinerja", "tpp", "angka-kredit"),
    ),
    "AuditLogModelView.list": Help(
        "Log audit: siapa mengubah apa dan kapan.", (_LIST,), "Log tidak dapat diubah.", ()
    ),
}


def current_help() -> Help | None:
    """The panel of the page being rendered, if it has one."""
    return HELP.get(request.endpoint or "")


@dataclass(frozen=True)
class TourStep:
    text: str
    endpoint: str


# The first-login tour of each role (config/roles.py names): where that role's work is, in the
# order it comes. Shown on the landing page until dismissed; reopenable from there.
TOURS: dict[str, tuple[TourStep, ...]] = {
    "Pegawai": (
        TourStep("Susun SKP Anda: RHK, IKI, dan target, lalu ajukan.", "SkpView.mine"),
        TourStep("Catat realisasi bulanan dan bukti dukung di Dasbor Kinerja.", "PortalView.index"),
        TourStep("Baca cara Anda dinilai.", "PortalView.guide"),
        TourStep("Tidak setuju dengan hasil? Ajukan keberatan.", "AppealView.index"),
    ),
    "Pejabat Penilai": (
        TourStep("Setujui SKP bawahan dan nilai mereka di Tim Saya.", "RatingFormView.team"),
        TourStep("Tetapkan rekan penilai bagi bawahan.", "PeerView.index"),
        TourStep("Beri umpan balik atas realisasi bawahan dari dasbornya.", "PortalView.index"),
    ),
    "Kepegawaian": (
        TourStep("Buat dan buka periode penilaian.", "PeriodLifecycleView.index"),
        TourStep(
            "Pantau kemajuan per SKPA dan ingatkan yang tertinggal.", "PeriodLifecycleView.index"
        ),
        TourStep("Kelola data pegawai dan impor pegawai baru.", "EmployeeModelView.list"),
        TourStep("Putus keberatan yang tidak punya atasan pejabat penilai.", "AppealView.index"),
    ),
    "Perumus Kebijakan": (
        TourStep("Buat draf aturan dan ubah bobot atau teksnya.", "RuleSetView.index"),
        TourStep("Baca panduan bahasa aturan.", "RulesDocView.index"),
        TourStep("Uji draf dengan simulasi, lalu terbitkan.", "RuleSetView.index"),
    ),
}


def tour_steps(roles: list[str]) -> list[tuple[str, TourStep]]:
    """The tour of a person with these roles: each role's steps, in the roles' order."""
    return [(role, step) for role in roles for step in TOURS.get(role, ())]
