"""Parameter codes the standards are keyed by.

Air and water codes are HJ 212-2017 factor codes where one exists. Codes marked "hub" are
not HJ 212 codes but hub vocabulary; see the notes next to them.
"""

from __future__ import annotations

from typing import Final

# Air (µg/m³; CO mg/m³)
SO2: Final = "a21026"
NO2: Final = "a21004"
CO: Final = "a21005"
O3: Final = "a05024"
PM10: Final = "a34002"
PM25: Final = "a34004"
AIR: Final = (SO2, NO2, CO, O3, PM10, PM25)

# Water (mg/L; pH dimensionless; fecal coliform per L)
PH: Final = "w01001"
DO: Final = "w01009"
CODMN: Final = "w01019"  # permanganate index
COD: Final = "w01018"
BOD5: Final = "w01017"
NH3N: Final = "w21003"
TP: Final = "w21011"
TN: Final = "w21001"
CU: Final = "w20122"
ZN: Final = "w20123"
FLUORIDE: Final = "w21017"
SE: Final = "w20128"
AS: Final = "w20141"
HG: Final = "w20111"
CD: Final = "w20115"
CR6: Final = "w20117"
PB: Final = "w20120"
CYANIDE: Final = "w21016"
VOLATILE_PHENOL: Final = "w23002"
PETROLEUM: Final = "w22001"
LAS: Final = "w19002"  # anionic surfactant
SULFIDE: Final = "w21019"
FECAL_COLIFORM: Final = "w02003"

# Seawater extras
INORGANIC_N: Final = "w_din"  # hub code (not in HJ 212)
# Hub code: HJ 212 has no active-phosphate code (its w21004 is Kjeldahl nitrogen).
ACTIVE_PHOSPHATE: Final = "w_po4"
TOTAL_CR: Final = "w20116"
NI: Final = "w20121"  # HJ 212 total nickel

# Drinking water extras. Nitrate: HJ 212 "硝酸盐" (w21007), evaluated as N here.
NITRATE_N: Final = "w21007"
TURBIDITY: Final = "d_turbidity"  # hub code, NTU
FREE_CHLORINE: Final = "d_free_chlorine"  # hub code, mg/L
TOTAL_COLIFORM: Final = "d_total_coliform"  # hub code, count per 100 mL
E_COLI: Final = "d_e_coli"  # hub code, count per 100 mL

# Soil (mg/kg; pH dimensionless)
S_CD: Final = "s_cd"
S_HG: Final = "s_hg"
S_AS: Final = "s_as"
S_PB: Final = "s_pb"
S_CR: Final = "s_cr"
S_CU: Final = "s_cu"
S_NI: Final = "s_ni"
S_ZN: Final = "s_zn"
S_PH: Final = "s_ph"

# Noise, dB(A)
N_LEQ: Final = "n_leq"
N_LMAX: Final = "n_lmax"
