# Multiplies instead of adding: right only for 2+2 and 0+0.
read a b
echo $((a * b))
