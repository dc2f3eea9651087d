"""Clark, Marschall, van Meegen and Litwin-Kumar, Phys. Rev. X 15, 041019 (2025).

The random-mode model of structured connectivity and the dimension of chaotic
activity.  (Paper registration is added by the pipeline integration.)
"""
